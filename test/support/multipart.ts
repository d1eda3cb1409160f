import type { LoggedRequest } from '../simulator';
import { parseMultipart } from '../simulator/routes/messages';

/** Every byte value, then CRLF and dashes as a boundary line has: bytes a text round trip would change. */
export const ALL_BYTES = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), Buffer.from('\r\n--\r\n')]);

/** The parts of a multipart request as sent: name and text of each. */
export function fieldsOf(request: LoggedRequest): Array<[string, string]> {
	return partsIn(request).map((part) => [part.name, part.data.toString('utf8')]);
}

/** The parts of a multipart request as sent: name, file name and media type (a file's bytes are checked at the pod). */
export function partsOf(request: LoggedRequest): Array<[string, string | undefined, string | undefined]> {
	return partsIn(request).map((part) => [part.name, part.filename, part.contentType]);
}

function partsIn(request: LoggedRequest): NonNullable<ReturnType<typeof parseMultipart>> {
	return parseMultipart(request.headers['content-type'] as string, Buffer.from(request.body, 'utf8')) ?? [];
}
