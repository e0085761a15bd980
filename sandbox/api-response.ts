/** A fully serialised HTTP response: routes build it, the server (and fault injection) sends it. */
export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}
