"""GRU4Rec: a recurrent next-item model over each user's interaction sequence (optional extra).

After Hidasi et al. 2016, "Session-based Recommendations with Recurrent Neural Networks":
item embeddings run through a GRU, and the hidden state after each item scores every item as
the next one, trained with softmax cross-entropy over the whole catalogue (over uniformly
sampled negatives once the catalogue is too large for that). A user's whole history, cut into
chunks of `max_length`, plays the part of the paper's sessions, because job seekers return
over weeks rather than within one visit.

torch comes from the `seq` extra and is imported inside the methods that need it, so the
package imports without it; `torch_available()` tells callers whether the model can run.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Self

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from hiresight.matching.entities import FloatArray
from hiresight.matching.errors import NotEnoughDataError
from hiresight.matching.lab.recommenders import ItemRecommender

if TYPE_CHECKING:
    import torch

IntArray = npt.NDArray[np.int64]

# Above this many items the full softmax costs more memory and time than the model is worth
# on a CPU; sampled negatives keep each step's cost independent of the catalogue size.
FULL_SOFTMAX_MAX_ITEMS = 5_000
SAMPLED_NEGATIVES = 512
_IGNORE = -1  # target of a padding position


def torch_available() -> bool:
    """Whether torch (the `seq` extra) is installed."""
    return importlib.util.find_spec("torch") is not None


def sequences_from_matrix(user_items: sp.csr_matrix, random_state: int = 0) -> list[list[int]]:
    """Each row's items in a seeded random order: the stand-in when no timestamps are known.

    Column order would be a poor stand-in: every transition would point to a higher column,
    so the model would never learn what follows a user's highest-numbered item.
    """
    csr = user_items.tocsr()
    csr.sort_indices()
    rng = np.random.default_rng(random_state)
    return [
        rng.permutation(csr.indices[csr.indptr[r] : csr.indptr[r + 1]]).tolist()
        for r in range(csr.shape[0])
    ]


def training_chunks(
    sequences: Sequence[Sequence[int]], max_length: int
) -> tuple[IntArray, IntArray]:
    """Inputs (item + 1, 0 pads) and next-item targets (_IGNORE pads), one chunk per row.

    A long history becomes consecutive chunks of at most `max_length` transitions that
    overlap by one item, so every transition is learned exactly once. Rows are only as wide
    as the longest chunk: the GRU steps through every padded position, so width is time.
    """
    width = max(0, min(max_length, max((len(s) - 1 for s in sequences), default=0)))
    inputs: list[list[int]] = []
    targets: list[list[int]] = []
    for seq in sequences:
        for start in range(0, max(len(seq) - 1, 0), max_length):
            chunk = seq[start : start + max_length + 1]
            pad = width - (len(chunk) - 1)
            inputs.append([i + 1 for i in chunk[:-1]] + [0] * pad)
            targets.append(list(chunk[1:]) + [_IGNORE] * pad)
    shape = (len(inputs), width)
    return (
        np.asarray(inputs, dtype=np.int64).reshape(shape),
        np.asarray(targets, dtype=np.int64).reshape(shape),
    )


@dataclass
class _Network:
    """Item embeddings -> GRU -> dot product with output item vectors plus a bias."""

    embed: torch.nn.Embedding
    gru: torch.nn.GRU
    out: torch.nn.Embedding
    bias: torch.nn.Parameter
    dropout: float

    @classmethod
    def build(cls, n_items: int, embedding_dim: int, hidden_dim: int, dropout: float) -> Self:
        """Fresh weights from torch's (seeded) global generator."""
        import torch

        return cls(
            embed=torch.nn.Embedding(n_items + 1, embedding_dim, padding_idx=0),
            gru=torch.nn.GRU(embedding_dim, hidden_dim, batch_first=True),
            out=torch.nn.Embedding(n_items, hidden_dim),
            bias=torch.nn.Parameter(torch.zeros(n_items)),
            dropout=dropout,
        )

    def parameters(self) -> list[torch.nn.Parameter]:
        """Every trainable tensor."""
        return [*self.embed.parameters(), *self.gru.parameters(), *self.out.parameters(), self.bias]

    def hidden(self, inputs: torch.Tensor, training: bool) -> torch.Tensor:
        """GRU output after every position, (batch, length, hidden)."""
        import torch

        x = torch.nn.functional.dropout(self.embed(inputs), self.dropout, training)
        h: torch.Tensor = self.gru(x)[0]
        return h


class GRU4RecRecommender(ItemRecommender):
    """Next item from the order of a user's past items: a one-layer GRU, CPU-only, seeded."""

    name = "gru4rec"

    def __init__(
        self,
        embedding_dim: int = 64,
        hidden_dim: int = 64,
        epochs: int = 10,
        batch_size: int = 64,
        learning_rate: float = 5e-3,
        dropout: float = 0.2,
        max_length: int = 50,
        negatives: int | None = None,
        num_threads: int = 1,
        random_state: int = 0,
    ) -> None:
        super().__init__(random_state)
        self.embedding_dim, self.hidden_dim = embedding_dim, hidden_dim
        self.epochs, self.batch_size, self.learning_rate = epochs, batch_size, learning_rate
        self.dropout, self.max_length = dropout, max_length
        # None: full softmax up to FULL_SOFTMAX_MAX_ITEMS items, SAMPLED_NEGATIVES beyond.
        self.negatives = negatives
        self.num_threads = num_threads

    def fit(
        self, user_items: sp.csr_matrix, sequences: Sequence[Sequence[int]] | None = None
    ) -> Self:
        """Learn next-item transitions from `sequences` (column indices per row, in time order).

        Without sequences each row's items are taken in a seeded random order (see
        `sequences_from_matrix`): the ItemRecommender contract holds, but there is no order
        to learn from, only which items go together.
        """
        import torch

        self.user_items = user_items.tocsr()
        n_users, n_items = self.user_items.shape
        if sequences is None:
            sequences = sequences_from_matrix(self.user_items, self.random_state)
        if len(sequences) != n_users:
            raise ValueError(f"{len(sequences)} sequences for {n_users} matrix rows")
        if any(not 0 <= i < n_items for seq in sequences for i in seq):
            raise ValueError(f"sequence items must be column indices below {n_items}")
        inputs, targets = training_chunks(sequences, self.max_length)
        if inputs.shape[0] == 0:
            raise NotEnoughDataError("no user has a second item: no next item to learn from")
        negatives = self.negatives
        if negatives is None and n_items > FULL_SOFTMAX_MAX_ITEMS:
            negatives = SAMPLED_NEGATIVES
        # Thread count is process-wide in torch, so set it for the fit and put it back; one
        # thread keeps a shared machine responsive and float sums in a fixed order.
        threads = torch.get_num_threads()
        torch.set_num_threads(self.num_threads)
        try:
            # fork_rng leaves the caller's global generator untouched; devices=[]: CPU only.
            with torch.random.fork_rng(devices=[]):
                torch.manual_seed(self.random_state)
                net = _Network.build(n_items, self.embedding_dim, self.hidden_dim, self.dropout)
                self._train(net, inputs, targets, negatives)
                self._states = self._final_states(net, sequences)
        finally:
            torch.set_num_threads(threads)
        self._item_vectors = net.out.weight.detach().numpy().copy()
        self._bias = net.bias.detach().numpy().copy()
        return self

    def _train(
        self, net: _Network, inputs: IntArray, targets: IntArray, negatives: int | None
    ) -> None:
        import torch

        x, y = torch.from_numpy(inputs), torch.from_numpy(targets)
        optimiser = torch.optim.Adam(net.parameters(), lr=self.learning_rate)
        for _ in range(self.epochs):
            # torch.split and torch.autograd.backward rather than the Tensor methods: only the
            # functions carry annotations for mypy --strict.
            for batch in torch.split(torch.randperm(x.shape[0]), self.batch_size):
                h = net.hidden(x[batch], training=True)
                target = y[batch]
                keep = target != _IGNORE
                loss = _next_item_loss(net, h[keep], target[keep], negatives)
                optimiser.zero_grad()
                torch.autograd.backward(loss)
                optimiser.step()

    def _final_states(self, net: _Network, sequences: Sequence[Sequence[int]]) -> FloatArray:
        """Hidden state after each user's last `max_length` items; zeros for no history."""
        import torch

        states = np.zeros((len(sequences), self.hidden_dim), dtype=np.float32)
        users = [u for u, seq in enumerate(sequences) if seq]
        with torch.no_grad():
            for start in range(0, len(users), self.batch_size):
                batch = users[start : start + self.batch_size]
                tails = [list(sequences[u][-self.max_length :]) for u in batch]
                lengths = torch.tensor([len(t) for t in tails])
                padded = np.zeros((len(tails), max(len(t) for t in tails)), dtype=np.int64)
                for row, tail in enumerate(tails):
                    padded[row, : len(tail)] = np.asarray(tail) + 1
                # Right padding: the GRU is causal, so pads after the last item change nothing.
                h = net.hidden(torch.from_numpy(padded), training=False)
                last = h[torch.arange(len(tails)), lengths - 1]
                states[batch] = last.numpy()
        return states

    def scores(self, user: int) -> FloatArray:
        """Next-item logits after the user's sequence (the learned bias alone for no history)."""
        logits: FloatArray = self._item_vectors @ self._states[user] + self._bias
        return logits


def _next_item_loss(
    net: _Network, h: torch.Tensor, target: torch.Tensor, negatives: int | None
) -> torch.Tensor:
    """Softmax cross-entropy of the true next item, against all items or sampled negatives."""
    import torch

    cross_entropy = torch.nn.functional.cross_entropy
    weight = net.out.weight
    if negatives is None:
        return cross_entropy(h @ weight.T + net.bias, target)
    # Uniform proposals have the same log-probability for every item, so the sampled-softmax
    # correction (Jean et al. 2015) cancels out and the logits need no adjustment.
    sampled = torch.randint(weight.shape[0], (negatives,))
    positive = (h * weight[target]).sum(dim=1) + net.bias[target]
    negative = h @ weight[sampled].T + net.bias[sampled]
    negative = negative.masked_fill(sampled[None, :] == target[:, None], float("-inf"))
    logits = torch.cat([positive[:, None], negative], dim=1)
    return cross_entropy(logits, torch.zeros_like(target))
