/**
 * A multipart/form-data body written by hand (the package has no runtime dependencies): text
 * fields only, sent as UTF-8, CRLF line ends. The boundary is the caller's, so a body can be tested byte
 * for byte.
 */
export function multipartBody(fields: Array<[name: string, value: string]>, boundary: string): { body: string; contentType: string } {
	const parts = fields.map(
		([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${value}\r\n`,
	);
	return { body: `${parts.join('')}--${boundary}--\r\n`, contentType: `multipart/form-data; boundary=${boundary}` };
}
