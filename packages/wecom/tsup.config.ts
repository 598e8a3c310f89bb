// Every published package builds alike: see tsup.shared.ts at the repository's root.
export { default } from '../../tsup.shared.js';
