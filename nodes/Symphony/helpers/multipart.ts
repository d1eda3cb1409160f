/** A file part: its name as the receiver will show it, its media type and its bytes. */
export interface MultipartFile {
	filename: string;
	contentType: string;
	data: Buffer;
}

/** Quotes and line breaks cannot appear in a quoted header value: encoded as browsers do. */
function quotedFilename(filename: string): string {
	return filename.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/**
 * A multipart/form-data body written by hand (the package has no runtime dependencies): text
 * fields sent as UTF-8, files as their bytes, CRLF line ends. Text only gives text; with a file, the
 * body is a Buffer. The boundary is the caller's, so a body can be tested byte for byte.
 */
export function multipartBody(
	fields: Array<[name: string, value: string | MultipartFile]>,
	boundary: string,
): { body: string | Buffer; contentType: string } {
	const contentType = `multipart/form-data; boundary=${boundary}`;
	const head = (name: string, value: string | MultipartFile) =>
		typeof value === 'string'
			? `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n`
			: `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${quotedFilename(value.filename)}"\r\nContent-Type: ${value.contentType}\r\n\r\n`;
	const closing = `--${boundary}--\r\n`;
	if (fields.every(([, value]) => typeof value === 'string')) {
		return { body: `${fields.map(([name, value]) => `${head(name, value)}${value as string}\r\n`).join('')}${closing}`, contentType };
	}
	const chunks: Buffer[] = [];
	for (const [name, value] of fields) {
		chunks.push(Buffer.from(head(name, value), 'utf8'), typeof value === 'string' ? Buffer.from(value, 'utf8') : value.data, Buffer.from('\r\n'));
	}
	chunks.push(Buffer.from(closing));
	return { body: Buffer.concat(chunks), contentType };
}
