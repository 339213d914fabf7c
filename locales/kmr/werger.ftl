# Werger messages, Northern Kurdish (kmr, Kurmanji, Latin script).
# Every message id here must exist in en, ar and ckb too (checked by a test).
# Arguments are written { $name }; keep them unchanged when translating.

## Errors returned by the HTTP API as {"error": {"code", "message"}}

error-invalid-json = Naveroka daxwazê ne JSONeke derbasdar e: { $detail }
error-invalid-request = Daxwaz ne derbasdar e: { $detail }
error-invalid-parameter = Nirxa “{ $name }” ne derbasdar e: { $detail }
error-unsupported-language = Zimanê “{ $tag }” nayê piştgirîkirin. Zimanên ku tên piştgirîkirin: { $supported }.
error-ambiguous-language = Etîketa zimanê “{ $tag }” ne zelal e: ji bo kurdiya navendî (soranî, bi tîpên erebî) ckb an ji bo kurdiya bakur (kurmancî, bi tîpên latînî) kmr bi kar bîne.
error-same-language = Zimanê çavkaniyê û zimanê armancê herdu jî “{ $lang }” in: du zimanên cuda hilbijêre.
error-empty-text = Nivîs vala ye.
error-text-too-long = Nivîs pir dirêj e: { $length } tîp, herî zêde destûr bi { $max } tîpan tê dayîn.
error-unit-not-found = Yekeyeke wergerê bi nasnameya { $id } tune ye.
error-unit-empty = Yekeyeke wergerê herî kêm nivîsa zimanekî hewce dike.
error-duplicate-language = Zimanê “{ $lang }” ji carekê zêdetir derdikeve.
error-tmx-invalid = Pelê TMX li rêza { $line }, stûna { $column } hate redkirin: { $detail }. Tiştek nehate hawirdekirin.
error-payload-too-large = Barkirin pir mezin e: herî zêde { $max } bayt têne qebûlkirin.
error-not-found = Li { $path } tiştek tune ye.
error-method-not-allowed = Rêbaza { $method } li vir nayê destûrdan.
error-not-ready = Xizmet hê jî pêrista xwe ya lêgerînê nû dike. Piştî kêliyekê dîsa biceribîne.
error-busy = Bîra wergerê bi nivîsandineke din re mijûl e. Piştî kêliyekê dîsa biceribîne.
error-internal = Li ser serverê tiştek xelet çû. Pirsgirêk bi referansa { $reference } hate tomarkirin.
