"""derm3r's SFTTrainer: the loss over answer tokens only, and the stop-when-exact callback."""

from __future__ import annotations

from typing import Any

from transformers import TrainerCallback
from trl import SFTTrainer

from derm3r.training.collator import IGNORE, ChatCollator


def answer_logits(model: Any, batch: dict[str, Any]) -> tuple[Any, Any]:
    """Logits predicting each answer token and those tokens, computed only where answers are.

    The prompt is most of a sample and masked from the loss; projecting it onto the vocabulary would
    cost memory and time for nothing, so the model keeps only the positions from the first answer
    token of the batch on (``logits_to_keep``).

    Args:
        model: The (peft) model.
        batch: A collated batch with ``labels``.

    Returns:
        The predicting logits (batch × window × vocabulary) and their target ids (batch × window,
        -100 where masked), aligned position by position.
    """
    import torch

    labels = batch["labels"]
    width = labels.shape[1]
    answered = labels != IGNORE
    first = int(torch.where(answered.any(dim=1), answered.int().argmax(dim=1), width - 1).min())
    keep = width - first + 1
    inputs = {key: value for key, value in batch.items() if key != "labels"}
    logits = model(**inputs, logits_to_keep=keep).logits
    return logits[:, :-1, :], labels[:, width - keep + 1 :]


def answers_exact(predictions: Any, targets: Any, margin: float) -> bool:
    """Whether every answer token is the model's greedy choice, ahead of the runner-up by ``margin`` logits.

    Greedy decoding reproduces a trained answer exactly when this holds at every position; the margin
    keeps it holding after a save and reload, where float rounding may move logits slightly.

    Args:
        predictions: Logits predicting each target, batch × positions × vocabulary.
        targets: The target ids at those positions, -100 over the prompt and padding.
        margin: Minimum lead of the right token's logit over every other token's.

    Returns:
        True when every labelled position passes.
    """
    import torch

    predicted = predictions.float()
    mask = targets != IGNORE
    if not bool(mask.any()):
        return False
    rows = predicted[mask]
    wanted = targets[mask]
    right = rows.gather(1, wanted.unsqueeze(1)).squeeze(1)
    others = rows.scatter(1, wanted.unsqueeze(1), torch.finfo(rows.dtype).min)
    return bool(((right - others.max(dim=1).values) >= margin).all())


class StopWhenAnswersExact(TrainerCallback):
    """Stop training once greedy decoding would reproduce every training answer by a logit margin.

    Checked after an optimiser step on the weights that step produced, which are the weights then
    saved; the check is a forward pass without gradients over the training samples. It runs only once
    the step's own training forward got at least ``gate`` of the answer tokens right (TRL's
    ``mean_token_accuracy``): before that, exactness cannot be near and the check would only cost time.
    """

    #: Token accuracy of the last training batch below which the exact check is not worth a forward pass.
    gate = 0.95

    def __init__(self, examples: list[dict[str, Any]], collator: ChatCollator, margin: float, batch_size: int) -> None:
        """Keep the training samples to check.

        Args:
            examples: The training samples (conversational rows).
            collator: The run's collator (its encodings are reused).
            margin: Logit margin every answer token must win by.
            batch_size: Samples per checking forward pass.
        """
        self.examples = examples
        self.collator = collator
        self.margin = margin
        self.batch_size = batch_size
        self.exact = False
        #: The trainer whose ``mean_token_accuracy`` gates the check (set once the trainer exists).
        self.trainer: Any = None

    def _accuracy_too_low(self) -> bool:
        metrics: Any = getattr(self.trainer, "_metrics", None)
        recent: Any = metrics["train"].get("mean_token_accuracy") if metrics else None
        return bool(recent) and float(recent[-1]) < self.gate

    def on_step_end(self, args: Any, state: Any, control: Any, model: Any = None, **kwargs: Any) -> Any:
        """Check the answers; ask the trainer to stop when all are exact."""
        import torch

        if model is None or self._accuracy_too_low():
            return control
        device = next(model.parameters()).device
        was_training = model.training
        model.eval()
        try:
            with torch.no_grad():
                for start in range(0, len(self.examples), self.batch_size):
                    batch = self.collator(self.examples[start : start + self.batch_size])
                    batch = {key: value.to(device) for key, value in batch.items()}
                    if not answers_exact(*answer_logits(model, batch), self.margin):
                        return control
        finally:
            model.train(was_training)
        self.exact = True
        control.should_training_stop = True
        return control


class AnswerOnlySFTTrainer(SFTTrainer):
    """``SFTTrainer`` whose loss projects only the answer positions onto the vocabulary.

    The labels already mask the prompt; TRL's own loss would still compute log-probabilities at every
    prompt position (system text, case, passages, image tokens: most of each sample), which costs time
    and memory for nothing. Token accuracy is logged as TRL logs it (``mean_token_accuracy``).
    """

    def compute_loss(
        self, model: Any, inputs: dict[str, Any], return_outputs: bool = False, num_items_in_batch: Any = None
    ) -> Any:
        """Cross-entropy over the answer tokens (summed over ``num_items_in_batch`` under accumulation)."""
        import torch

        mode = "train" if model.training else "eval"
        predictions, targets = answer_logits(model, {**inputs, "use_cache": False})
        flat, wanted = predictions.reshape(-1, predictions.shape[-1]).float(), targets.reshape(-1)
        total = torch.nn.functional.cross_entropy(flat, wanted, ignore_index=IGNORE, reduction="sum")
        mask = wanted != IGNORE
        counted = mask.sum()
        if num_items_in_batch is not None and self.model_accepts_loss_kwargs:
            loss = total / torch.as_tensor(num_items_in_batch, device=total.device).clamp(min=1)
            if self.args.average_tokens_across_devices:
                loss = loss * self.accelerator.num_processes
        else:
            loss = total / counted.clamp(min=1)
        with torch.no_grad():
            right = (flat.argmax(dim=-1) == wanted) & mask
            accuracy = float(right.sum()) / max(int(counted), 1)
        self._metrics[mode]["mean_token_accuracy"].append(accuracy)
        return (loss, {"logits": predictions}) if return_outputs else loss
