"""Document text never becomes markup: escaping, sanitising, masking."""

from radslag.safe import clean_html, html_text, mask_personal, md_text


def test_md_text_escapes_html_and_markdown():
    out = md_text("<img src=x onerror=alert(9)> # Rubrik *fet* [länk](javascript:x)")
    assert "<" not in out and ">" not in out
    assert "\\#" in out and "\\*fet\\*" in out and "\\[länk\\]" in out


def test_html_text_escapes_quotes():
    assert html_text('"><script>') == "&quot;&gt;&lt;script&gt;"


def test_clean_html_drops_media_styles_forms_and_bad_links():
    dirty = ('<p style="position:fixed">x<img src="http://e/b.png"><video src="http://e/v"></video>'
             '<form action="http://e/s"><input type=password></form><svg><image href="http://e/i"/></svg>'
             '<a href="javascript:alert(1)">j</a><a href="https://ok.se">ok</a><iframe src="http://e"></iframe></p>')
    out = clean_html(dirty)
    for bad in ("style", "<img", "<video", "<form", "<input", "<svg", "<image", "javascript:", "<iframe"):
        assert bad not in out
    assert 'href="https://ok.se"' in out


def test_mask_personal():
    text = "Anna 19800101-1234, 800101-1234, anna_svensson@arboga.se, 070-123 45 67. Möte 2021-09-15, Dnr 2024/0131."
    out = mask_personal(text)
    assert "1234" not in out and "@" not in out and "070" not in out
    assert "2021-09-15" in out and "2024/0131" in out
