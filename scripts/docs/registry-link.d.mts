/** `info` with a registry link in `contact.url` replaced by the vendor's section of docs/index.html. */
export function withLocalRegistryLinks(info: Record<string, any>, vendorName: string): Record<string, any>;
