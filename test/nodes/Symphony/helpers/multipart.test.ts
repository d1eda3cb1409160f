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
		const parts = parseMultipart(contentType, Buffer.from(body, 'utf8'));
		expect(parts?.map((p) => [p.name, p.data.toString('utf8')])).toEqual([
			['message', 'a\r\nb\n\r\n'],
			['data', ''],
		]);
	});
});
