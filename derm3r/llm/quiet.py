"""Keep third-party chatter out of the user's output when the LLM libraries load.

transformers, peft, TRL, accelerate and bitsandbytes report deprecations (FutureWarning), missing GPU
kernels on a CPU machine (on import bitsandbytes asks the ``kernels`` hub for a CPU kernel and, offline,
both warn), weight-loading progress bars and generation-length reminders. None of it is the user's to act
on in a consultation or a training run, and it buries derm3r's own messages. Errors still show;
``DERM3R_DEBUG=1`` keeps everything.
"""

from __future__ import annotations

import logging
import os
import warnings

#: Libraries whose warnings are silenced (the module a warning is attributed to, as a regex).
THIRD_PARTY = r"(transformers|peft|trl|accelerate|bitsandbytes|kernels|torch|datasets|huggingface_hub)(\..*)?$"


def quiet_third_party() -> None:
    """Filter the LLM libraries' warnings and info logging, and their progress bars (not with DERM3R_DEBUG)."""
    if os.environ.get("DERM3R_DEBUG"):
        return
    warnings.filterwarnings("ignore", category=FutureWarning)
    warnings.filterwarnings("ignore", category=DeprecationWarning, module=THIRD_PARTY)
    warnings.filterwarnings("ignore", category=UserWarning, module=THIRD_PARTY)
    for name in ("bitsandbytes", "kernels", "peft", "accelerate", "trl", "datasets", "huggingface_hub"):
        logging.getLogger(name).setLevel(logging.ERROR)
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    try:
        from transformers.utils import logging as transformers_logging
    except ImportError:
        return
    transformers_logging.set_verbosity_error()
    transformers_logging.disable_progress_bar()
