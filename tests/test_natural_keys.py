"""Every model that fixtures hold is found again by its natural key."""

import factory.django
import pytest
from django.apps import apps

from tests import factories

pytestmark = pytest.mark.django_db

FACTORIES = {
    factory_class._meta.model: factory_class
    for factory_class in vars(factories).values()
    if isinstance(factory_class, type)
    and issubclass(factory_class, factory.django.DjangoModelFactory)
    and factory_class._meta.model is not None
}
KEYED_MODELS = [
    model
    for app in ("inspections", "improvement", "scrutiny")
    for model in apps.get_app_config(app).get_models()
    if getattr(model, "NATURAL_KEY", ())
]


def test_every_keyed_model_has_a_factory():
    assert [model.__name__ for model in KEYED_MODELS if model not in FACTORIES] == []


@pytest.mark.parametrize("model", KEYED_MODELS, ids=lambda model: model.__name__)
def test_it_round_trips_the_natural_key(model):
    obj = FACTORIES[model]()
    FACTORIES[model]()  # a neighbour the lookup must not find

    assert model.objects.get_by_natural_key(*obj.natural_key()) == obj
