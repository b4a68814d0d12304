{%- if training == "pytorch" -%}
"""How training loads its batches (worker processes, pinned memory) and how it runs in several processes.

Launched with torchrun (``invoke train-ddp``), every process joins one process group over the
gloo backend, which works on CPUs; each trains a copy of the model on its own share of the data
(``DistributedSampler``) and DDP averages the gradients at every step, so the copies stay equal.
Started the usual way, training runs in one process and nothing here changes it.
"""
{%- else -%}
"""How training loads its batches: worker processes, pinned memory and workers kept between epochs.

Several processes are Lightning's business: the ``strategy`` and ``devices`` training settings
(``ddp`` and 2, say) make the Trainer start them and give each its share of the data.
"""
{%- endif %}

import logging
{%- if training == "pytorch" %}
import os
{%- endif %}
from typing import Any

import torch.distributed as dist
{%- if training == "pytorch" %}
from torch import nn
from torch.nn.parallel import DistributedDataParallel
{%- endif %}
{%- if data_kind == "graph" %}
from torch.utils.data import DistributedSampler
from torch_geometric.loader import DataLoader
{%- else %}
from torch.utils.data import DataLoader, DistributedSampler
{%- endif %}

logger = logging.getLogger(__name__)
{%- if training == "pytorch" %}


def start() -> None:
    """Join the process group when torchrun started this process (it sets RANK and WORLD_SIZE)."""
    if "RANK" in os.environ and "WORLD_SIZE" in os.environ and not dist.is_initialized():
        dist.init_process_group(backend="gloo")
        logger.info("Process %d of %d joined the process group", dist.get_rank(), dist.get_world_size())


def wrap(model: nn.Module) -> nn.Module:
    """The model that training steps: under torchrun, wrapped in DDP so the processes share gradients."""
    return DistributedDataParallel(model) if dist.is_initialized() else model


def set_epoch(loader: DataLoader, epoch: int) -> None:
    """Give the sampler the epoch, so every epoch shuffles the processes' shares differently."""
    if isinstance(loader.sampler, DistributedSampler):
        loader.sampler.set_epoch(epoch)


def finish() -> bool:
    """Leave the process group; return whether this process is the one that saves the model (rank 0)."""
    if not dist.is_initialized():
        return True
    main_process = dist.get_rank() == 0
    dist.destroy_process_group()
    return main_process
{%- endif %}


def make_loader(
    dataset: Any,
    batch_size: int,
    num_workers: int = 0,
    pin_memory: bool = False,
    persistent_workers: bool = False,
) -> DataLoader:
    """Batch ``dataset`` in shuffled order with the data-loading settings from the training configuration."""
    if num_workers < 0:
        raise ValueError(f"num_workers must be 0 (load in the training process) or more, got {num_workers}")
    if persistent_workers and num_workers == 0:
        raise ValueError("persistent_workers keeps worker processes alive, so it needs num_workers of 1 or more")
    sampler = DistributedSampler(dataset, shuffle=True) if dist.is_initialized() else None
    loader = DataLoader(
        dataset,
        batch_size=batch_size,
        shuffle=sampler is None,
        sampler=sampler,
        num_workers=num_workers,
        pin_memory=pin_memory,
        persistent_workers=persistent_workers,
    )
{%- if training == "pytorch" %}
    rank, world_size = (dist.get_rank(), dist.get_world_size()) if dist.is_initialized() else (0, 1)
    logger.info(
        "Process %d of %d loads batches of %d with %d workers (pin_memory=%s, persistent_workers=%s)",
        rank,
        world_size,
        batch_size,
{%- else %}
    # Lightning gives each process its share of the data later, when the Trainer starts.
    logger.info(
        "Loading batches of %d with %d workers (pin_memory=%s, persistent_workers=%s)",
        batch_size,
{%- endif %}
        num_workers,
        pin_memory,
        persistent_workers,
    )
    return loader
