/** A Xero `where` clause matching one field exactly: `ContactNumber=="CUST-42"`, quotes escaped. */
export function whereEquals(field: string, value: string): string {
  return `${field}=="${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}
