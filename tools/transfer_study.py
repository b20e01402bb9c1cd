"""Fine-tuning a VideoPose3D checkpoint against training from scratch, resumable: `python tools/transfer_study.py
[--threads=N]`.

The published VideoPose3D models are trained on Human3.6M (actors walking, sitting, greeting: no running) and read
COCO 2D in screen coordinates. Its analogue here: a VideoPose3D-architecture model (COCO-17 2D, screen normalization ->
Human3.6M-17 joints) pretrained on the CMU captures that are not running, written as a VideoPose3D `.bin`. Then, for
each held-out lab, the same recipe on the other labs' runners, once fine-tuned from that checkpoint
(`runningpose.train.from_videopose3d`, trunk frozen for the first epochs) and once from scratch, at the same budget.
Work is kept in `_train/transfer/`; the table goes to `nbs/transfer_study.csv`, which `nbs/08_train.ipynb` reads."""
import sys
from dataclasses import replace
from pathlib import Path
import numpy as np, pandas as pd, torch
from runningpose.camera import CameraSampler
from runningpose.corpus import LABS, LifterRecipe, make_lifter, open_corpus, view_errors
from runningpose.files import atomic_write
from runningpose.keypoints import input_layout
from runningpose.layouts import COCO17, H36M17
from runningpose.model import TemporalModelOptimized1f, save_videopose3d
from runningpose.synth import make_pairs
from runningpose.train import TrainConfig, from_videopose3d, prepare, train

ROOT = Path(__file__).resolve().parent.parent
WORK, OUT = ROOT / '_train' / 'transfer', ROOT / 'nbs' / 'transfer_study.csv'
WIDTHS, CHANNELS = (3, 3, 3), 128
PRETRAIN = TrainConfig(epochs=20, max_batches=100)
FINETUNE = LifterRecipe(layout='coco17', normalization='videopose3d_screen', filter_widths=WIDTHS, channels=CHANNELS,
                        epochs=10, batches=60, head_epochs=2, finetune_lr=0.3)
SCRATCH = replace(FINETUNE, head_epochs=0, finetune_lr=1.0)

def pretrained(corpus:dict)->Path:
    "The VideoPose3D-format checkpoint pretrained on the CMU captures that are not running (made once)."
    path = WORK / 'pretrained_cmu_coco.bin'
    if path.exists(): return path
    running = {s for subjects in LABS.values() for s in subjects}
    other = {s: m for s, m in corpus.items() if s not in running}
    pairs = make_pairs(other, COCO17, cameras_per_trial=4, fps=50, sampler=CameraSampler(), target_layout=H36M17,
                       rng=np.random.default_rng(0))
    torch.manual_seed(0)
    model = TemporalModelOptimized1f(17, 17, WIDTHS, channels=CHANNELS)
    h = train(model, prepare(pairs), None, PRETRAIN, state_path=WORK / 'pretrain.pt')
    print('pretrained on', sorted(other), f"training MPJPE {h.train_mpjpe.iloc[-1]:.1f} mm", flush=True)
    save_videopose3d(model, path, epoch=PRETRAIN.epochs)
    return path

def main(threads=None):
    if threads: torch.set_num_threads(threads)
    WORK.mkdir(parents=True, exist_ok=True)
    corpus = open_corpus()
    ckpt = pretrained(corpus)
    running = {s for subjects in LABS.values() for s in subjects}
    tables = []
    for lab, held in LABS.items():
        train_on = {s: corpus[s] for s in running if s not in held}
        for kind, recipe in (('fine-tuned', FINETUNE), ('from scratch', SCRATCH)):
            done = WORK / f"{lab}_{kind.replace(' ', '_')}.csv"
            if not done.exists():
                start = (from_videopose3d(ckpt, WIDTHS, input_layout(COCO17, recipe.normalization), channels=CHANNELS)
                         if kind == 'fine-tuned' else None)
                lifter = make_lifter(recipe, train_on, WORK / f"{lab}_{kind.replace(' ', '_')}.pt", progress=True,
                                     start=start, start_note=ckpt.name if start is not None else '')
                t = view_errors(lifter, {s: corpus[s] for s in held}).assign(
                    held_out=lab, training=kind, minutes=lifter[1].training['training_minutes'])
                atomic_write(done, lambda p: t.to_csv(p, index=False))
            tables.append(pd.read_csv(done))
            print(lab, kind, 'done', flush=True)
    table = pd.concat(tables, ignore_index=True)
    table.to_csv(OUT, index=False)
    print(table.groupby(['training', 'input'])[['MPJPE', 'P-MPJPE']].mean().round(1))

if __name__ == '__main__':
    args = sys.argv[1:]
    main(int(args[0][len('--threads='):]) if args and args[0].startswith('--threads=') else None)
