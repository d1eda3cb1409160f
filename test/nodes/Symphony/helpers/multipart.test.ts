import { multipartBody } from '../../../../nodes/Symphony/helpers/multipart';
import { parseMultipart } from '../../../simulator/routes/messages';

describe('multipartBody', () => {
	test('exact bytes: each field a part with CRLF line ends, then the closing boundary', () => {
		const { body, contentType } = multipartBody([['message', '<messageML>é</messageML>'], ['data', '{}']], 'B0UND');
		expect(contentType).toBe('multipart/form-data; boundary=B0UND');
		expect(body).toBe(
			'--B0UND\r\nContent-Disposition: form-data; name="message"\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n<messageML>é</messageML>\r\n' +
				'--B0UND\r\nContent-Disposition: form-data; name="data"\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{}\r\n' +
				'--B0UND--\r\n',
		);
	});

	test('a multipart parser reads back every field, line breaks included', () => {
		const { body, contentType } = multipartBody([['message', 'a\r\nb\n\r\n'], ['data', '']], '----x1');
		const parts = parseMultipart(contentType, Buffer.from(body as string, 'utf8'));
		expect(parts?.map((p) => [p.name, p.data.toString('utf8')])).toEqual([
			['message', 'a\r\nb\n\r\n'],
			['data', ''],
		]);
	});
});

describe('multipartBody with files', () => {
	test('exact bytes: a file part carries its filename and type, its bytes unchanged', () => {
		const bytes = Buffer.from([0x00, 0xff, 0x0d, 0x0a, 0x2d, 0x2d]);
		const { body, contentType } = multipartBody([['message', 'hi'], ['attachment', { filename: 'q3.pdf', contentType: 'application/pdf', data: bytes }]], 'B0UND');
		expect(contentType).toBe('multipart/form-data; boundary=B0UND');
		expect(Buffer.isBuffer(body)).toBe(true);
		expect(body).toEqual(
			Buffer.concat([
				Buffer.from('--B0UND\r\nContent-Disposition: form-data; name="message"\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nhi\r\n'),
				Buffer.from('--B0UND\r\nContent-Disposition: form-data; name="attachment"; filename="q3.pdf"\r\nContent-Type: application/pdf\r\n\r\n'),
				bytes,
				Buffer.from('\r\n--B0UND--\r\n'),
			]),
		);
	});

	test.each([
		['report "final".csv', 'report %22final%22.csv'],
		['two\r\nlines.txt', 'two%0D%0Alines.txt'],
		['Übersicht €.txt', 'Übersicht €.txt'],
	])('the filename %j is written so the header stays one quoted value: %j', (filename, written) => {
		const { body, contentType } = multipartBody([['attachment', { filename, contentType: 'text/plain', data: Buffer.from('x') }]], 'b');
		expect(body.toString('utf8')).toContain(`filename="${written}"`);
		expect(parseMultipart(contentType, body as Buffer)?.map((p) => [p.name, p.filename, p.data.toString()])).toEqual([['attachment', written, 'x']]);
	});

	test('several files and text fields are read back in order by a multipart parser', () => {
		const files = [1, 2, 3].map((n) => ({ filename: `f${n}.bin`, contentType: 'application/octet-stream', data: Buffer.alloc(n * 1000, n) }));
		const { body, contentType } = multipartBody([['message', '<messageML>x</messageML>'], ...files.map((file) => ['attachment', file] as [string, typeof file])], '----x2');
		const parts = parseMultipart(contentType, body as Buffer);
		expect(parts?.map((p) => [p.name, p.filename, p.data.length])).toEqual([
			['message', undefined, 24],
			['attachment', 'f1.bin', 1000],
			['attachment', 'f2.bin', 2000],
			['attachment', 'f3.bin', 3000],
		]);
		expect(parts?.[2].data.equals(files[1].data)).toBe(true);
	});
});
