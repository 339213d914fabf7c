# Werger messages, Central Kurdish (ckb, Sorani, Arabic script).
# Every message id here must exist in en, ar and kmr too (checked by a test).
# Arguments are written { $name }; keep them unchanged when translating.

## Errors returned by the HTTP API as {"error": {"code", "message"}}

error-invalid-json = ناوەڕۆکی داواکارییەکە JSONی دروست نییە: { $detail }
error-invalid-request = داواکارییەکە دروست نییە: { $detail }
error-invalid-parameter = بەهای «{ $name }» دروست نییە: { $detail }
error-unsupported-language = زمانی «{ $tag }» پشتگیری ناکرێت. زمانە پشتگیریکراوەکان: { $supported }.
error-ambiguous-language = تاگی زمانی «{ $tag }» ڕوون نییە: ckb بۆ کوردیی ناوەندی (سۆرانی، بە ئەلفوبێی عەرەبی) یان kmr بۆ کوردیی باکووری (کورمانجی، بە ئەلفوبێی لاتینی) بەکاربهێنە.
error-same-language = زمانی سەرچاوە و زمانی مەبەست هەردووکیان هەمان زمانن، «{ $lang }»: دوو زمانی جیاواز هەڵبژێرە.
error-empty-text = دەقەکە بەتاڵە.
error-text-too-long = دەقەکە زۆر درێژە: { $length } پیت، زۆرترین ڕێگەپێدراو { $max } پیتە.
error-unit-not-found = هیچ یەکەیەکی وەرگێڕان بە ناسنامەی { $id } نییە.
error-unit-empty = یەکەی وەرگێڕان پێویستی بە دەقی لانیکەم یەک زمان هەیە.
error-duplicate-language = زمانی «{ $lang }» زیاتر لە جارێک هاتووە.
error-tmx-invalid = فایلی TMX لە دێڕی { $line }، ستوونی { $column } ڕەتکرایەوە: { $detail }. هیچ شتێک هاوردە نەکرا.
error-payload-too-large = بارکراوەکە زۆر گەورەیە: زۆرترین قەبارەی وەرگیراو { $max } بایتە.
error-not-found = هیچ شتێک لە { $path } نییە.
error-method-not-allowed = ڕێگای { $method } لێرە ڕێگەپێدراو نییە.
error-not-ready = خزمەتگوزارییەکە هێشتا پێڕستی گەڕانەکەی نوێ دەکاتەوە. کەمێکی تر دووبارە هەوڵ بدەرەوە.
error-busy = بیرگەی وەرگێڕان بە نووسینێکی ترەوە سەرقاڵە. کەمێکی تر دووبارە هەوڵ بدەرەوە.
error-internal = لە ڕاژەکارەکەدا هەڵەیەک ڕوویدا. کێشەکە بە ژمارەی ئاماژەی { $reference } تۆمار کرا.
