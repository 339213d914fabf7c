# Werger messages, English (the reference locale).
# Every message id here must exist in ar, ckb and kmr too (checked by a test).
# Arguments are written { $name }; keep them unchanged when translating.

## Errors returned by the HTTP API as {"error": {"code", "message"}}

error-invalid-json = The request body is not valid JSON: { $detail }
error-invalid-request = The request is not valid: { $detail }
error-invalid-parameter = The value of “{ $name }” is not valid: { $detail }
error-unsupported-language = The language “{ $tag }” is not supported. Supported languages: { $supported }.
error-ambiguous-language = The language tag “{ $tag }” is ambiguous: use ckb for Central Kurdish (Sorani, Arabic script) or kmr for Northern Kurdish (Kurmanji, Latin script).
error-same-language = The source and the target language are both “{ $lang }”: choose two different languages.
error-empty-text = The text is empty.
error-text-too-long = The text is too long: { $length } characters, at most { $max } are allowed.
error-unit-not-found = There is no translation unit with the id { $id }.
error-unit-empty = A translation unit needs the text of at least one language.
error-duplicate-language = The language “{ $lang }” appears more than once.
error-tmx-invalid = The TMX file was rejected at line { $line }, column { $column }: { $detail }. Nothing was imported.
error-payload-too-large = The upload is too large: at most { $max } bytes are accepted.
error-not-found = There is nothing at { $path }.
error-method-not-allowed = The method { $method } is not allowed here.
error-not-ready = The service is still bringing its search index up to date. Try again in a moment.
error-busy = The memory is busy with another write. Try again in a moment.
error-internal = Something went wrong on the server. The problem was logged with the reference { $reference }.
