import { MAX_TEXT_CHARACTERS, parseEntityData, parseMessageContent, parseMessageML, textToMessageML } from '../../../../nodes/Symphony/helpers/messageML';
import { checkMessageML } from '../../../simulator/routes/messages';

describe('textToMessageML', () => {
	test.each([
		['plain', 'Hello', '<messageML>Hello</messageML>'],
		['<', 'a < b', '<messageML>a &lt; b</messageML>'],
		['&', 'P&L', '<messageML>P&amp;L</messageML>'],
		['>', 'a > b', '<messageML>a &gt; b</messageML>'],
		['quotes', `"x" 'y'`, '<messageML>&quot;x&quot; &apos;y&apos;</messageML>'],
		['${', '${price}', '<messageML>&#36;{price}</messageML>'],
		['#{', '#{count}', '<messageML>&#35;{count}</messageML>'],
		['Freemarker directive', '<#list x as y>', '<messageML>&lt;&#35;list x as y&gt;</messageML>'],
		['an entity typed as text', '&amp;', '<messageML>&amp;amp;</messageML>'],
		['LF, CRLF and CR', 'a\nb\r\nc\rd', '<messageML>a<br/>b<br/>c<br/>d</messageML>'],
		['tab', 'a\tb', '<messageML>a\tb</messageML>'],
		['emoji', '😀👍🏽', '<messageML>😀👍🏽</messageML>'],
		['a number', 42, '<messageML>42</messageML>'],
	])('%s', (_name, text, messageML) => {
		expect(textToMessageML('Text', text)).toBe(messageML);
	});

	test.each(['P&L < 0 > -1 "q" \'a\' ${x} #{y} <#if> <@m/> 😀\nline\ttab', 'é'.repeat(MAX_TEXT_CHARACTERS), '#hashtag $cash'])(
		'the Agent\'s parser (as the simulator plays it) reads back exactly the text: %#',
		(text) => {
			expect(checkMessageML(textToMessageML('Text', text), undefined)).toEqual({ text, entities: 0 });
		},
	);

	test.each([
		['empty', '', /^Text: "" is empty/],
		['blank', ' \n ', /is empty/],
		['NUL', 'a\u0000', /contains the control character U\+0000 at position 2/],
		['escape', '\u001b[1m', /U\+001B at position 1/],
		['form feed', 'a\fb', /U\+000C/],
		['over the limit', 'x'.repeat(MAX_TEXT_CHARACTERS + 1), /is 60,001 characters long, more than Symphony's limit of about 60,000/],
		['an object', { a: 1 }, /^Text: \{"a":1\} is not text/],
	])('refused: %s', (_name, value, message) => {
		expect(() => textToMessageML('Text', value)).toThrow(message);
	});

	test('the limit counts characters, not UTF-16 units: 60,000 emoji pass', () => {
		expect(() => textToMessageML('Text', '😀'.repeat(MAX_TEXT_CHARACTERS))).not.toThrow();
	});
});

describe('parseMessageML', () => {
	test('sent as written', () => {
		const written = ' <messageML>Hi <b>x</b></messageML>';
		expect(parseMessageML('MessageML', written)).toBe(written);
	});

	test.each([
		['empty', '', /is empty/],
		['no root tag', 'Hello', /does not start with <messageML>/],
		['another root', '<div>Hi</div>', /does not start with <messageML>/],
		['a control character', '<messageML>\u0007</messageML>', /U\+0007/],
		['over 1.5 MB', `<messageML>${'x'.repeat(1.6 * 1024 * 1024)}</messageML>`, /bytes, more than Symphony's limit of 1.5 MB/],
	])('refused: %s', (_name, value, message) => {
		expect(() => parseMessageML('MessageML', value)).toThrow(message);
	});
});

describe('textToMessageML with mentionEmails', () => {
	test.each([
		['@carol@globex.example', '<messageML><mention email="carol@globex.example"/></messageML>'],
		['hi @carol@globex.example!', '<messageML>hi <mention email="carol@globex.example"/>!</messageML>'],
		['@carol@globex.example.', '<messageML><mention email="carol@globex.example"/>.</messageML>'],
		['"@a_b%c@x-y.co.uk"', '<messageML>&quot;<mention email="a_b%c@x-y.co.uk"/>&quot;</messageML>'],
		['@carol@globex', '<messageML>@carol@globex</messageML>'],
		['@carol', '<messageML>@carol</messageML>'],
		['me@carol@globex.example', '<messageML>me@carol@globex.example</messageML>'],
		['@carol@globex.example-', '<messageML>@carol@globex.example-</messageML>'],
		['#@carol@globex.example', '<messageML>&#35;<mention email="carol@globex.example"/></messageML>'],
	])('%j → %s', (text, messageML) => {
		expect(textToMessageML('Text', text, { mentionEmails: true })).toBe(messageML);
		expect(textToMessageML('Text', text)).not.toContain('<mention');
	});
});

describe('parseEntityData', () => {
	test.each([
		['{"a":{"type":"x"}}', '{"a":{"type":"x"}}'],
		[{ a: { type: 'x' } }, '{"a":{"type":"x"}}'],
		[' { } ', ' { } '],
	])('%j is sent as %j', (value, sent) => {
		expect(parseEntityData('Entity Data (JSON)', value)).toBe(sent);
	});

	test.each([
		['{', 'is not valid JSON'],
		['[]', 'is not a JSON object'],
		['"text"', 'is not a JSON object'],
		[null, 'is not a JSON object'],
		[7, 'is not a JSON object'],
	])('%j: %s', (value, problem) => {
		expect(() => parseEntityData('Entity Data (JSON)', value)).toThrow(`Entity Data (JSON): ${JSON.stringify(value)} ${problem}.`);
	});
});

describe('parseMessageContent', () => {
	test.each([
		['text', 'text', 'P&L < 0', {}, { message: '<messageML>P&amp;L &lt; 0</messageML>', text: 'P&L < 0' }],
		['text with mentions asked', 'text', 'ask @a@b.example', { mentionEmails: true }, { message: '<messageML>ask <mention email="a@b.example"/></messageML>', text: 'ask @a@b.example' }],
		['text: mentions only when exactly true', 'text', 'ask @a@b.example', { mentionEmails: 'true' }, { message: '<messageML>ask @a@b.example</messageML>', text: 'ask @a@b.example' }],
		['MessageML, the empty entity data the field starts with: no data', 'messageML', '<messageML>x</messageML>', { entityData: ' { } ' }, { message: '<messageML>x</messageML>', text: '<messageML>x</messageML>' }],
		['MessageML with entity data as text', 'messageML', '<messageML>x</messageML>', { entityData: '{"a":{"b":1}}' }, { message: '<messageML>x</messageML>', data: '{"a":{"b":1}}', text: '<messageML>x</messageML>' }],
		['MessageML with entity data as an object', 'messageML', '<messageML>x</messageML>', { entityData: { a: 1 } }, { message: '<messageML>x</messageML>', data: '{"a":1}', text: '<messageML>x</messageML>' }],
	] as const)('%s', (_name, format, value, options, content) => {
		expect(parseMessageContent(format, value, options)).toEqual(content);
	});

	test.each([
		['empty text', 'text', '', {}, /^Text: "" is empty/],
		['MessageML without its root', 'messageML', 'x', {}, /^MessageML: "x" does not start with <messageML>/],
		['entity data that is a list', 'messageML', '<messageML>x</messageML>', { entityData: '[1]' }, /^Entity Data \(JSON\): "\[1\]" is not a JSON object/],
		['MessageML and entity data over 1.5 MB together', 'messageML', `<messageML>${'a'.repeat(1_000_000)}</messageML>`, { entityData: `{"a":"${'b'.repeat(600_000)}"}` }, /^MessageML: .* and its entity data are 1,600,031 bytes together, more than Symphony's limit of 1\.5 MB/],
	] as const)('refused: %s', (_name, format, value, options, message) => {
		expect(() => parseMessageContent(format, value, options)).toThrow(message);
	});
});
