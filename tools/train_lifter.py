"""Train a lifting recipe of `runningpose.corpus.RECIPES` on every capture of the corpus, in one process or several:

    python tools/train_lifter.py RECIPE --state PATH [--out MODEL.safetensors]
    torchrun --nproc_per_node=N tools/train_lifter.py RECIPE --state PATH [--out MODEL.safetensors]

Under torchrun every process trains on its share of each batch (`runningpose.train.train`: gloo between CPU processes,
NCCL between GPUs, one GPU per process); the batch size stays the recipe's, split over the processes. The state file is
resumed when it exists and must lie on a filesystem every process sees; rank 0 writes it, and the model."""
from dataclasses import replace
from pathlib import Path
import torch
from fastcore.script import call_parse
from runningpose.corpus import RECIPES, open_corpus, make_lifter
from runningpose.model import save_checkpoint
from runningpose.train import init_distributed

@call_parse
def main(recipe:str,             # a key of runningpose.corpus.RECIPES
         state:str=None,         # training state file (required), resumed when it exists
         out:str=None,           # where rank 0 saves the trained model (.safetensors, its card beside it)
         data:str=None,          # the corpus folder (default: RUNNINGPOSE_DATA)
         epochs:int=None,        # instead of the recipe's epochs
         batches:int=None,       # instead of the recipe's batches per epoch
         threads:int=None):      # CPU threads per process
    "Train `recipe` on the corpus, resuming from `state`; save the model to `out`."
    if recipe not in RECIPES: raise SystemExit(f"unknown recipe {recipe}; known: {', '.join(RECIPES)}")
    if not state: raise SystemExit("--state PATH is required (the resumable training state)")
    if threads: torch.set_num_threads(threads)
    r = RECIPES[recipe]
    r = replace(r, epochs=epochs or r.epochs, batches=batches or r.batches)
    rank, world = init_distributed()
    model, card = make_lifter(r, open_corpus(data), state_path=Path(state), progress=True)
    if out and rank == 0: save_checkpoint(model, card, out)
    if world > 1: torch.distributed.destroy_process_group()
