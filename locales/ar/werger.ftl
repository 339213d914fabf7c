# Werger messages, Arabic (ar, Modern Standard Arabic).
# Every message id here must exist in en, ckb and kmr too (checked by a test).
# Arguments are written { $name }; keep them unchanged when translating.

## Errors returned by the HTTP API as {"error": {"code", "message"}}

error-invalid-json = نص الطلب ليس بصيغة JSON صالحة: { $detail }
error-invalid-request = الطلب غير صالح: { $detail }
error-invalid-parameter = قيمة «{ $name }» غير صالحة: { $detail }
error-unsupported-language = اللغة «{ $tag }» غير مدعومة. اللغات المدعومة: { $supported }.
error-ambiguous-language = وسم اللغة «{ $tag }» ملتبس: استخدم ckb للكردية الوسطى (السورانية، بالحرف العربي) أو kmr للكردية الشمالية (الكرمانجية، بالحرف اللاتيني).
error-same-language = لغة المصدر ولغة الهدف كلتاهما «{ $lang }»: اختر لغتين مختلفتين.
error-empty-text = النص فارغ.
error-text-too-long = النص طويل جدًا: عدد أحرفه { $length }، والحد الأقصى المسموح به هو { $max }.
error-unit-not-found = لا توجد وحدة ترجمة بالمعرّف { $id }.
error-unit-empty = تحتاج وحدة الترجمة إلى نص بلغة واحدة على الأقل.
error-duplicate-language = اللغة «{ $lang }» مذكورة أكثر من مرة.
error-tmx-invalid = رُفض ملف TMX عند السطر { $line }، العمود { $column }: { $detail }. لم يُستورد أي شيء.
error-payload-too-large = الملف المرفوع كبير جدًا: الحد الأقصى المقبول هو { $max } بايت.
error-not-found = لا يوجد شيء في { $path }.
error-method-not-allowed = الطريقة { $method } غير مسموح بها هنا.
error-not-ready = لا تزال الخدمة تُحدِّث فهرس البحث الخاص بها. حاول مرة أخرى بعد قليل.
error-busy = الذاكرة مشغولة بعملية كتابة أخرى. حاول مرة أخرى بعد قليل.
error-internal = حدث خطأ ما في الخادم. سُجّلت المشكلة بالرقم المرجعي { $reference }.
