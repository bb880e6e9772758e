"""The admin's contract change form as a browser posts it: the contract's own fields unchanged, its documents'
inline formset with the existing rows and one new document."""

from properties.models import ContractDocument


def contract_change_form(contract, *, title: str, upload) -> dict:
    existing = list(ContractDocument.objects.filter(contract=contract).order_by("contract_id", "uploaded_at")
                    .values_list("pk", flat=True))
    new = len(existing)
    return {
        "firm": contract.firm_id, "compound": contract.compound_id, "counterpart": contract.counterpart,
        "service_grade": contract.service_grade, "starts_on": contract.starts_on.isoformat(),
        "ends_on": contract.ends_on.isoformat() if contract.ends_on else "", "status": contract.status,
        "fee_standard": contract.fee_standard or "",
        "documents-TOTAL_FORMS": new + 1, "documents-INITIAL_FORMS": new,
        "documents-MIN_NUM_FORMS": 0, "documents-MAX_NUM_FORMS": 1000,
        **{f"documents-{i}-id": pk for i, pk in enumerate(existing)},
        **{f"documents-{i}-contract": contract.pk for i in range(new + 1)},
        f"documents-{new}-title": title, f"documents-{new}-file": upload,
    }
