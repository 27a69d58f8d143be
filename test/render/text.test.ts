/** text.ts: each output's safe form of data text, by exact expected strings (worked by hand from the rules). */
import { docxText, htmlText, jsonText, markdownInline, markdownText, terminalText, tsvText } from '../../src/text';

test('terminal: C0, DEL, C1, separators and bidi overrides shown as escapes; other text unchanged', () => {
  expect(terminalText('a\x1b[31mb\x07\r\n\t\x7f\x9b\x85\u2028\u202e\u2066é€')).toBe('a\\x1b[31mb\\x07\\r\\n\\t\\x7f\\x9b\\x85\\u2028\\u202e\\u2066é€');
  expect(terminalText('plain < text | `x`')).toBe('plain < text | `x`');
});

test('markdown cell: entities unless a space follows, pipes, backticks and backslashes escaped, controls shown', () => {
  expect(markdownText('<img src=x onerror=alert(1)>')).toBe('&lt;img src=x onerror=alert(1)&gt;');
  expect(markdownText('p < .001 & > 3')).toBe('p < .001 & > 3');
  expect(markdownText('a|b`c`\\d&amp;')).toBe('a\\|b\\`c\\`\\\\d&amp;amp;');
  expect(markdownText('x\x1b]52;c;AA\x07\ny')).toBe('x\\x1b]52;c;AA\\x07\\ny');
});

test('markdown: brackets that could make a link, image, reference, span or note escaped (CommonMark §2.4); others as written', () => {
  expect(markdownText('95% CI [.30, .65]')).toBe('95% CI [.30, .65]');
  expect(markdownText('[x]: javascript:alert(1)')).toBe('\\[x\\]: javascript:alert(1)');
  expect(markdownText('[a][b] [c]{onclick=x} [[w]] [^1] ^[n]')).toBe('\\[a\\]\\[b\\] \\[c\\]{onclick=x} \\[\\[w\\]\\] \\[^1\\] ^\\[n\\]');
  expect(markdownText('[x](javascript:alert(1))')).toBe('\\[x\\](javascript:alert(1))');
  expect(markdownText('![](http://a.example/i.png)')).toBe('!\\[\\](http://a.example/i.png)');
  expect(markdownText('<http://a.example>')).toBe('&lt;http://a.example&gt;');
  expect(markdownInline('level [a](b) in `x[1](2)`')).toBe('level \\[a\\](b) in `x[1](2)`');
});

test('docx: the terminal rule (ESC, BEL shown as \\x1b, \\x07), and lone surrogates, U+FFFE, U+FFFF as \\u escapes; pairs kept', () => {
  expect(docxText('a\x1b[31m\x07b')).toBe('a\\x1b[31m\\x07b');
  expect(docxText('x\ud800y\udc00z\ufffe\uffff')).toBe('x\\ud800y\\udc00z\\ufffe\\uffff');
  expect(docxText('😀 <&>')).toBe('😀 <&>');
});

test('markdown prose: our code spans kept, the text between escaped, stray backticks escaped', () => {
  expect(markdownInline('*r* of `a<b>` and <script>')).toBe('*r* of `a<b>` and &lt;script&gt;');
  expect(markdownInline('odd ` tick <i>')).toBe('odd \\` tick &lt;i&gt;');
});

test('html, tsv and json', () => {
  expect(htmlText('<a href="x">&</a>')).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;');
  expect(tsvText('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e');
  const value = { s: 'a\x1b\x9b\u2028\u202e\x7f' };
  const text = jsonText(value);
  expect(text).toBe('{"s":"a\\u001b\\u009b\\u2028\\u202e\\u007f"}');
  expect(JSON.parse(text)).toEqual(value);
});
