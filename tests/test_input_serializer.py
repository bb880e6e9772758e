"""core.api.InputSerializer: the same validation and messages as DRF's Serializer, with each instance's fields
copied from the declared ones instead of re-created."""

import pytest
from rest_framework import serializers

from petitions.api.serializers import PetitionCreateSerializer

GOOD = {"category": 3, "description": "楼道灯不亮"}
BAD = [
    {},
    {"category": 0, "description": 5, "photos": "x", "anonymous": "yes", "reporter_phone": "abc"},
    {"category": "3", "description": "", "source": "fax", "building": -1, "spot": "x" * 101},
    {"category": 3, "description": "x", "photos": ["not a file"], "compound": None, "reporter_name": None},
]


class PlainCreateSerializer(serializers.Serializer):
    """The same declared fields under DRF's own deep copy per instance."""

    locals().update(PetitionCreateSerializer._declared_fields)


@pytest.mark.parametrize("data", [GOOD, *BAD])
def test_it_validates_and_refuses_exactly_as_drfs_serializer(data):
    lean, plain = PetitionCreateSerializer(data=data), PlainCreateSerializer(data=data)
    assert lean.is_valid() == plain.is_valid()
    assert lean.errors == plain.errors  # ErrorDetail compares its code too
    if not plain.errors:
        assert lean.validated_data == plain.validated_data


def test_each_instance_has_its_own_bound_fields_and_the_declared_ones_stay_unbound():
    first, second = PetitionCreateSerializer(data=GOOD), PetitionCreateSerializer(data=GOOD)
    for name, field in first.fields.items():
        other = second.fields[name]
        assert field is not other and field.parent is first and other.parent is second
        assert PetitionCreateSerializer._declared_fields[name].parent is None
    photos = first.fields["photos"]
    assert photos.child is not second.fields["photos"].child and photos.child.root is first
