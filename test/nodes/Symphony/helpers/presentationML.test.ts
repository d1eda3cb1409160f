import { presentationMLToText } from '../../../../nodes/Symphony/helpers/presentationML';

describe('presentationMLToText', () => {
	test.each([
		['a plain message', '<div data-format="PresentationML" data-version="2.0" class="wysiwyg"><p>Hello desk</p></div>', 'Hello desk'],
		['line breaks', '<div data-format="PresentationML" data-version="2.0"><p>line 1<br/>line 2<br>line 3</p></div>', 'line 1\nline 2\nline 3'],
		['entities decoded once', '<div data-format="PresentationML" data-version="2.0">P&amp;L &lt; 0 &gt; -1 &quot;q&quot; &apos;s&apos; &#36;{x} &#x23;{y} &amp;lt;</div>', 'P&L < 0 > -1 "q" \'s\' ${x} #{y} &lt;'],
		['bold and italics kept as text', '<div data-format="PresentationML" data-version="2.0">Desk: <b>Alice</b> &amp; <i>Bob</i></div>', 'Desk: Alice & Bob'],
		[
			'a mention and a hashtag as shown',
			'<div data-format="PresentationML" data-version="2.0">Hi <span class="entity" data-entity-id="0">@Alice Martin</span> <span class="entity" data-entity-id="1">#rates</span></div>',
			'Hi @Alice Martin #rates',
		],
		['paragraphs on their own lines', '<div data-format="PresentationML" data-version="2.0"><p>one</p><p>two</p></div>', 'one\ntwo'],
		['a list', '<div data-format="PresentationML" data-version="2.0"><ul><li>a</li><li>b</li></ul></div>', 'a\nb'],
		['a table: cells by tabs, rows by lines', '<div data-format="PresentationML" data-version="2.0"><table><tr><td>x</td><td>1</td></tr><tr><td>y</td><td>2</td></tr></table></div>', 'x\t1\ny\t2'],
		['emoji and accents', '<div data-format="PresentationML" data-version="2.0">Café ☕ 😀</div>', 'Café ☕ 😀'],
		['an unknown entity left as written', '<div data-format="PresentationML" data-version="2.0">a &bogus; b &#0; c</div>', 'a &bogus; b &#0; c'],
		['a non-breaking space', '<div data-format="PresentationML" data-version="2.0">a&nbsp;b</div>', 'a\u00a0b'],
		['blank lines squeezed, ends trimmed', '<div data-format="PresentationML" data-version="2.0"><p>a</p><br/><br/><br/><p>b</p>  </div>', 'a\n\nb'],
		['not text', undefined, ''],
		['empty', '', ''],
	])('%s', (_name, message, text) => {
		expect(presentationMLToText(message)).toBe(text);
	});
});
