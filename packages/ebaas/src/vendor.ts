/** The vendor name used in errors, tracing and store keys. */
export const VENDOR = 'ebaas';

/** What the readers must know about the request an answer belongs to: ebaas has one grant. */
export interface AnsweredRequest {
  /** The grant that was sent (ebaas names none; it is the client credentials). */
  grant: 'client_credentials';
}
