import { NodeApiError, NodeOperationError, type JsonObject } from 'n8n-workflow';

import {
	ParameterError,
	SymphonyApiError,
	describeApiFailure,
	describeUnreadableResponse,
	showValue,
	toNodeError,
	type ApiFailure,
	type UserMessage,
} from '../../../nodes/Symphony/errors';
import { testNode } from '../../support/node';

const NODE = testNode('n8n-nodes-symphony.symphony', 'Symphony');

const ACTION = 'reading the presence of user 7215545078541';

describe('showValue', () => {
	const circular: Record<string, unknown> = { a: 1 };
	circular.self = circular;

	test.each<[string, unknown, string]>([
		['undefined', undefined, 'undefined'],
		['null', null, 'null'],
		['a string, quoted', 'abc', '"abc"'],
		['a string with quotes and a new line, escaped onto one line', 'say "hi"\nnow', '"say \\"hi\\"\\nnow"'],
		['an empty string', '', '""'],
		['a number', 42, '42'],
		['a bigint, without the n', 12345678901234567890n, '12345678901234567890'],
		['an object, as JSON', { id: 7, name: 'Jane' }, '{"id":7,"name":"Jane"}'],
		['an array, as JSON', [1, 'a'], '[1,"a"]'],
		['a circular object, as String() gives it', circular, '[object Object]'],
		['60 characters, whole', 'x'.repeat(58), `"${'x'.repeat(58)}"`],
		['61 characters and more, cut to 60 with …', 'x'.repeat(100), `"${'x'.repeat(58)}…`],
	])('%s', (_name, value, shown) => {
		expect(showValue(value)).toBe(shown);
	});

	test('a long value is cut to exactly 60 characters', () => {
		expect(showValue({ ids: Array.from({ length: 40 }, (_, i) => i) })).toHaveLength(60);
	});
});

describe('ParameterError', () => {
	test('names the field, shows the value, says what is wrong and what to do', () => {
		const error = new ParameterError('User IDs', 'abc', 'is not a user ID', 'Enter numbers such as 7215545078541');
		expect(error.message).toBe('User IDs: "abc" is not a user ID. Enter numbers such as 7215545078541');
		expect(error).toMatchObject({ name: 'ParameterError', field: 'User IDs', value: 'abc', fix: 'Enter numbers such as 7215545078541' });
	});
});

describe('describeApiFailure: by HTTP status', () => {
	test.each<[string, Partial<ApiFailure>, UserMessage]>([
		[
			'400 with Symphony\'s message',
			{ status: 400, symphonyMessage: 'Invalid user id' },
			{
				message: `Symphony refused the request while ${ACTION} (400 Bad Request)`,
				description: 'The values sent were not accepted. Symphony said: "Invalid user id". Check the user IDs and other parameters of this node.',
			},
		],
		[
			'400 without a message',
			{ status: 400 },
			{
				message: `Symphony refused the request while ${ACTION} (400 Bad Request)`,
				description: 'The values sent were not accepted. Check the user IDs and other parameters of this node.',
			},
		],
		[
			'401 (Symphony\'s message is not shown)',
			{ status: 401, symphonyMessage: 'Invalid session' },
			{
				message: `The Symphony session token is invalid or has expired (401) while ${ACTION}`,
				description:
					'Renew the token in the Symphony credential, or use the RSA key credential, which logs in again by itself when a session ends.',
			},
		],
		[
			'403 with Symphony\'s message',
			{ status: 403, symphonyMessage: 'Missing privilege' },
			{
				message: `Symphony refused access while ${ACTION} (403 Forbidden)`,
				description:
					'The account behind the credential lacks a privilege this call needs, or is not connected to that user. Symphony said: "Missing privilege". Registering presence interest needs the ADMIN_PRESENCE_UPDATE privilege; reading an external user\'s presence needs a connection with them and interest registered within the last hour.',
			},
		],
		[
			'404 with Symphony\'s message',
			{ status: 404, symphonyMessage: 'User not found' },
			{
				message: `Not found while ${ACTION} (404)`,
				description: 'Symphony knows no such user or resource. Symphony said: "User not found". Check the user ID; IDs are numbers such as 7215545078541.',
			},
		],
		[
			'429 without Retry-After',
			{ status: 429 },
			{
				message: `Symphony asked to slow down while ${ACTION} (429 Too Many Requests)`,
				description:
					'Symphony slows down busy pods, and allows one presence read per person at another firm every 5 minutes. Run the workflow less often, or raise Options → Retry → Max Wait (Seconds) so the node waits as long as Symphony asks.',
			},
		],
		[
			'429 with Retry-After, after retries',
			{ status: 429, retryAfterSeconds: 300, attempts: 3 },
			{
				message: `Symphony asked to slow down while ${ACTION} (429 Too Many Requests) after 3 attempts`,
				description:
					'Symphony asked to wait 300 s. Symphony slows down busy pods, and allows one presence read per person at another firm every 5 minutes. Run the workflow less often, or raise Options → Retry → Max Wait (Seconds) so the node waits as long as Symphony asks.',
			},
		],
		[
			'503 with Symphony\'s message, after retries',
			{ status: 503, symphonyMessage: 'Service unavailable', attempts: 4 },
			{
				message: `Symphony had an internal problem while ${ACTION} (503) after 4 attempts`,
				description: 'Symphony said: "Service unavailable". This is on Symphony\'s side; try again later. If it persists, contact your Symphony administrator.',
			},
		],
		[
			'500 without a message, one attempt (no count shown)',
			{ status: 500, attempts: 1 },
			{
				message: `Symphony had an internal problem while ${ACTION} (500)`,
				description: 'This is on Symphony\'s side; try again later. If it persists, contact your Symphony administrator.',
			},
		],
		[
			'another status (409)',
			{ status: 409, symphonyMessage: 'Conflict' },
			{
				message: `Symphony answered 409 while ${ACTION}`,
				description: 'Symphony said: "Conflict". Check the node\'s parameters and the credential.',
			},
		],
		[
			'another status without a message',
			{ status: 418 },
			{ message: `Symphony answered 418 while ${ACTION}`, description: 'Check the node\'s parameters and the credential.' },
		],
	])('%s', (_name, failure, expected) => {
		expect(describeApiFailure({ action: ACTION, ...failure })).toEqual(expected);
	});
});

describe('describeApiFailure: no response (network failures)', () => {
	const REACH =
		'Check the Pod URL in the credential (e.g. https://acme.symphony.com), that this n8n instance can reach the pod through its network or proxy, and try again.';

	test.each<[string | undefined, string]>([
		['ECONNREFUSED', 'the pod refused the connection'],
		['ECONNRESET', 'the connection was dropped'],
		['ENOTFOUND', 'the pod host name could not be found'],
		['EAI_AGAIN', 'the pod host name could not be resolved (DNS)'],
		['ETIMEDOUT', 'the pod did not answer in time'],
		['ECONNABORTED', 'the pod did not answer in time'],
		['EPIPE', 'the connection was dropped'],
		['EPROTO', 'the secure (https) connection could not be set up'],
		['ESOMETHINGELSE', 'the pod could not be reached'],
		[undefined, 'the pod could not be reached'],
	])('%s: %s', (networkCode, hint) => {
		expect(describeApiFailure({ action: ACTION, networkCode })).toEqual({
			message: `Could not reach Symphony while ${ACTION}: ${hint}`,
			description: REACH,
		});
	});

	test('ECONNREFUSED names the address tried and the attempts', () => {
		expect(describeApiFailure({ action: ACTION, networkCode: 'ECONNREFUSED', url: 'https://acme.symphony.com', attempts: 3 })).toEqual({
			message: `Could not reach Symphony at https://acme.symphony.com while ${ACTION}: the pod refused the connection after 3 attempts`,
			description: REACH,
		});
	});

	test('a Pod URL without a scheme says that https:// was added', () => {
		expect(describeApiFailure({ action: ACTION, networkCode: 'ENOTFOUND', url: 'https://acme.symphony.com', schemeAdded: true })).toEqual({
			message: `Could not reach Symphony at https://acme.symphony.com while ${ACTION}: the pod host name could not be found`,
			description: `${REACH} The Pod URL in the credential has no scheme, so https:// was added.`,
		});
	});

	test('plain http answering https, with the scheme added: enter the Pod URL with http://', () => {
		expect(
			describeApiFailure({ action: ACTION, networkCode: 'EPROTO', url: 'https://localhost:9443', schemeAdded: true, plainHttp: true }),
		).toEqual({
			message: `Could not reach Symphony at https://localhost:9443 while ${ACTION}: the server there speaks plain http, not https`,
			description:
				'The Pod URL in the credential has no scheme, so https:// was added. If this pod (or a local test pod) speaks plain http, enter the Pod URL as http://localhost:9443; otherwise check the port.',
		});
	});

	test('plain http answering an https:// Pod URL as entered', () => {
		expect(describeApiFailure({ action: ACTION, networkCode: 'EPROTO', url: 'https://localhost:9443', plainHttp: true })).toEqual({
			message: `Could not reach Symphony at https://localhost:9443 while ${ACTION}: the server there speaks plain http, not https`,
			description: 'Check the Pod URL in the credential: if the server speaks plain http, use http://localhost:9443; otherwise check the port.',
		});
	});

	test('plainHttp for an http:// address is not taken for a TLS mismatch', () => {
		expect(describeApiFailure({ action: ACTION, networkCode: 'ECONNRESET', url: 'http://localhost:9443', plainHttp: true })).toEqual({
			message: `Could not reach Symphony at http://localhost:9443 while ${ACTION}: the connection was dropped`,
			description: REACH,
		});
	});
});

describe('describeApiFailure: per-call hints', () => {
	const hints = { 403: 'Get Many needs the User Provisioning role.', 404: 'This user is not on the pod.' };

	test('a hint for the status replaces the general explanation, and Symphony\'s message is quoted after it', () => {
		expect(describeApiFailure({ action: ACTION, status: 403, symphonyMessage: 'Forbidden', hints })).toEqual({
			message: `Symphony refused access while ${ACTION} (403 Forbidden)`,
			description: 'Get Many needs the User Provisioning role. Symphony said: "Forbidden".',
		});
		expect(describeApiFailure({ action: ACTION, status: 404, hints })).toEqual({
			message: `Not found while ${ACTION} (404)`,
			description: 'This user is not on the pod.',
		});
	});

	test('a 429 hint names the call\'s own setting, after how long Symphony asked to wait', () => {
		const tooRecent = { 429: 'Choose what to do in Options → If Read Too Recently.' };
		expect(describeApiFailure({ action: ACTION, status: 429, retryAfterSeconds: 240, hints: tooRecent })).toEqual({
			message: `Symphony asked to slow down while ${ACTION} (429 Too Many Requests)`,
			description: 'Symphony asked to wait 240 s. Choose what to do in Options → If Read Too Recently.',
		});
	});

	test('statuses without a hint, and network failures, keep the general wording', () => {
		expect(describeApiFailure({ action: ACTION, status: 400, hints })).toEqual(describeApiFailure({ action: ACTION, status: 400 }));
		expect(describeApiFailure({ action: ACTION, networkCode: 'ECONNREFUSED', hints })).toEqual(
			describeApiFailure({ action: ACTION, networkCode: 'ECONNREFUSED' }),
		);
	});
});

describe('describeUnreadableResponse', () => {
	const WEB_PAGE =
		'The pod sent a web page instead of data. Check that the Pod URL in the credential points at your Symphony pod (e.g. https://acme.symphony.com), not at a login page or proxy.';
	const OTHER =
		'The pod sent an empty, cut-off or unexpected body. Try again; if it persists, check the Pod URL and any proxy between n8n and Symphony.';

	test.each<[string, string, string]>([
		['an HTML page', '<html><head>', WEB_PAGE],
		['an HTML page after white space', '\n  <!DOCTYPE html>', WEB_PAGE],
		['cut-off JSON', '{"userId": 72155', OTHER],
		['an empty body', '', OTHER],
	])('%s', (_name, bodyStart, description) => {
		expect(describeUnreadableResponse('listing users', bodyStart, 200)).toEqual({
			message: 'Symphony\'s answer could not be read while listing users (status 200)',
			description,
		});
	});
});

describe('SymphonyApiError', () => {
	const notFound = () => new SymphonyApiError(NODE, { ...describeApiFailure({ action: ACTION, status: 404, symphonyMessage: 'No user' }), status: 404, symphonyMessage: 'No user' });

	test('carries the worded failure and the status as n8n\'s HTTP code', () => {
		const error = notFound();
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(`Not found while ${ACTION} (404)`);
		expect(error.description).toBe('Symphony knows no such user or resource. Symphony said: "No user". Check the user ID; IDs are numbers such as 7215545078541.');
		expect(error.httpCode).toBe('404');
		expect(error.isValueRefusal).toBe(true);
	});

	test('forAction words the same refusal for another action', () => {
		const error = notFound().forAction(NODE, 'reading the presence of user 1');
		expect(error.message).toBe('Not found while reading the presence of user 1 (404)');
		expect(error.report.symphonyMessage).toBe('No user');
	});

	test('only 400 and 404 are value refusals', () => {
		const forbidden = new SymphonyApiError(NODE, { ...describeApiFailure({ action: ACTION, status: 403 }), status: 403 });
		expect(forbidden.isValueRefusal).toBe(false);
	});
});

describe('toNodeError', () => {
	test('a ParameterError becomes a NodeOperationError whose description is the fix, on the item', () => {
		const error = toNodeError(NODE, new ParameterError('User IDs', 'abc', 'is not a user ID', 'Enter numbers such as 7215545078541'), 2);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('User IDs: "abc" is not a user ID. Enter numbers such as 7215545078541');
		expect(error.description).toBe('Enter numbers such as 7215545078541');
		expect(error.context.itemIndex).toBe(2);
	});

	test('a SymphonyApiError is returned as it is without an item, and re-created for each item', () => {
		const shared = new SymphonyApiError(NODE, { ...describeApiFailure({ action: ACTION, status: 503 }), status: 503 });
		expect(toNodeError(NODE, shared)).toBe(shared);
		const first = toNodeError(NODE, shared, 0);
		const second = toNodeError(NODE, shared, 1);
		for (const [error, itemIndex] of [[first, 0], [second, 1]] as const) {
			expect(error).toBeInstanceOf(SymphonyApiError);
			expect(error).not.toBe(shared);
			expect(error.message).toBe(`Symphony had an internal problem while ${ACTION} (503)`);
			expect(error.description).toBe(shared.description);
			expect(error.context.itemIndex).toBe(itemIndex);
		}
		expect(shared.context.itemIndex).toBeUndefined();
	});

	test('a NodeApiError gets the item index only when it has none', () => {
		const without = new NodeApiError(NODE, { message: 'Bad gateway' } as JsonObject, { message: 'Bad gateway' });
		expect(toNodeError(NODE, without, 3)).toBe(without);
		expect(without.context.itemIndex).toBe(3);

		const withIndex = new NodeApiError(NODE, { message: 'Bad gateway' } as JsonObject, { message: 'Bad gateway', itemIndex: 0 });
		expect(toNodeError(NODE, withIndex, 5)).toBe(withIndex);
		expect(withIndex.context.itemIndex).toBe(0);
	});

	test('a NodeOperationError keeps its own item index too', () => {
		const error = new NodeOperationError(NODE, 'Stopped', { itemIndex: 1 });
		expect(toNodeError(NODE, error, 4)).toBe(error);
		expect(error.context.itemIndex).toBe(1);
	});

	test('any other error is wrapped in a NodeOperationError with its message, on the item', () => {
		const error = toNodeError(NODE, new Error('socket hang up'), 4);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('socket hang up');
		expect(error.context.itemIndex).toBe(4);
	});
});
