"""Every signature of a PDF as pyHanko, a PAdES-aware validator that knows
nothing of Blankett, judges it: integrity, trust in the given CA, what the
signature covers, whether later revisions only add signatures and form
fields, and what the signature dictionary says (name, reason, time).

    validate.py FILE.pdf CA.pem   ->   a JSON array, one object per signature
"""
import json
import sys

from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext


def text(value):
    return None if value is None else str(value)


def main(pdf_path, authority_path):
    # Offline: the development CA publishes no revocation information.
    context = ValidationContext(trust_roots=[load_cert_from_pemder(authority_path)], allow_fetching=False,
                                revocation_mode="soft-fail")
    verdicts = []
    with open(pdf_path, "rb") as handle:
        reader = PdfFileReader(handle)
        for signature in reader.embedded_signatures:
            status = validate_pdf_signature(signature, context)
            dictionary = signature.sig_object
            verdicts.append({
                "field": signature.field_name,
                "name": text(dictionary.get("/Name")),
                "reason": text(dictionary.get("/Reason")),
                "subFilter": text(dictionary.get("/SubFilter")),
                "signingTime": signature.self_reported_timestamp.isoformat() if signature.self_reported_timestamp else None,
                "signer": status.signing_cert.subject.human_friendly,
                "intact": status.intact,
                "valid": status.valid,
                "trusted": status.trusted,
                "bottomLine": status.bottom_line,
                "coverage": status.coverage.name if status.coverage else None,
                "modificationLevel": status.modification_level.name if status.modification_level else None,
                "docmdpOK": status.docmdp_ok,
            })
    print(json.dumps(verdicts, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
