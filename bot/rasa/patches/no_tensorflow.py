"""Replaces Rasa's eager TensorFlow imports: ~400 MB and seconds per process, unused by us.

Rasa 3.6's core imports `rasa.utils.train_utils` on the way to every policy
(policy -> featurizers -> entity extractor), and train_utils imports
TensorFlow at its top only to define Keras training callbacks. Our pipeline
and policies use no TensorFlow, yet the import costs about 400 MB of memory
and seconds of start-up in every server process. `defer_train_utils()` puts a
placeholder module in its place that loads the real one on the first use of
any of its names, so a configuration that does use TensorFlow (DIET, TED)
loads it exactly as before, and ours never does.

Loading a model also resolves every class of its *training* graph, and that
graph's recipe validator imports DIET, TED and ResponseSelector (and so
TensorFlow) to compare classes. A server only runs the prediction graph, so
`defer_train_schema()` reads the training graph when something first asks for
it (fine-tuning does), not when the model is loaded.

And spaCy's maths library, thinc, imports TensorFlow at its top if it is
installed, only to offer TensorFlow-wrapped layers (our spaCy pipeline has
none). `import_thinc_without_tensorflow()` imports thinc once with
TensorFlow hidden from it, so thinc records "no TensorFlow" and spaCy works
as usual; anything else may still import TensorFlow later.

`install()` must run before Rasa is imported (`python -m bot.rasa.main` does).
"""

from __future__ import annotations

import importlib
import importlib.abc
import sys
import types

DEFERRED_MODULE = "rasa.utils.train_utils"


class _DeferredModule(types.ModuleType):
    """Stands in for a module until one of its names is used, then becomes it.

    Python's own `importlib.util.LazyLoader` does not help here: on 3.10 every
    later `import` of the module reads `__spec__`, which makes it load at once.
    This placeholder answers dunder lookups itself and loads on anything else.
    """

    def __getattr__(self, name: str):  # any attribute
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        real = self._ecm_load()
        return getattr(real, name)

    def _ecm_load(self) -> types.ModuleType:
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        real = importlib.import_module(self.__name__)
        self.__dict__.update(real.__dict__)
        return real


def defer_train_utils() -> None:
    """Keep TensorFlow out of the process unless a component really needs it."""
    if DEFERRED_MODULE in sys.modules:
        return
    import rasa.utils

    placeholder = _DeferredModule(DEFERRED_MODULE)
    sys.modules[DEFERRED_MODULE] = placeholder
    rasa.utils.train_utils = placeholder


class _DeferredGraphSchema:
    """A model's training graph, parsed on first use instead of at model load."""

    def __init__(self, serialized: dict) -> None:
        self._ecm_serialized = serialized
        self._ecm_schema = None

    def _ecm_get(self):  # a GraphSchema
        if self._ecm_schema is None:
            from rasa.engine.graph import GraphSchema

            self._ecm_schema = GraphSchema.from_dict(self._ecm_serialized)
        return self._ecm_schema

    def __getattr__(self, name: str):  # any attribute of GraphSchema
        if name.startswith("_ecm_"):
            raise AttributeError(name)
        return getattr(self._ecm_get(), name)


def defer_train_schema() -> None:
    from rasa.engine.storage.storage import ModelMetadata

    if getattr(ModelMetadata, "_ecm_deferred", False):
        return
    original = ModelMetadata.from_dict.__func__

    def from_dict(cls, serialized):  # Rasa's signature
        train_schema = serialized["train_schema"]
        metadata = original(cls, {**serialized, "train_schema": {"nodes": {}}})
        metadata.train_schema = _DeferredGraphSchema(train_schema)
        return metadata

    ModelMetadata.from_dict = classmethod(from_dict)
    ModelMetadata._ecm_deferred = True


class _HideModules(importlib.abc.MetaPathFinder):
    def __init__(self, names: set) -> None:
        self.names = names

    def find_spec(self, fullname, path, target=None):
        if fullname.split(".")[0] in self.names:
            raise ModuleNotFoundError(f"{fullname} is hidden while thinc loads", name=fullname)
        return None


def import_thinc_without_tensorflow() -> None:
    if "thinc.compat" in sys.modules:
        return
    hide = _HideModules({"tensorflow"})
    sys.meta_path.insert(0, hide)
    try:
        importlib.import_module("thinc.compat")
    finally:
        sys.meta_path.remove(hide)


def install() -> None:
    """Keep TensorFlow out of the process: the three steps above (idempotent)."""
    import_thinc_without_tensorflow()
    defer_train_utils()
    defer_train_schema()
