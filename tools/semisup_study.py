"""Semi-supervised training measured, resumable: `python tools/semisup_study.py [--threads=N] [labelled] [richardrun]`.

labelled: leave one lab out; of the other runners, about a tenth of the frames (whole subjects, drawn with a fixed
seed) keep their 3D, the rest are used as unlabelled 2D (through filming cameras, with detector noise); a supervised
model and a semi-supervised one with the same labelled budget are scored on the held-out lab.
richardrun: a COCO-input model trained on all the motion capture, with and without the real Detectron2 tracks of
`richardrun/` and the BlazePose keypoints of `ioanna1` and `sports2d` as unlabelled input, judged on richardrun by the
plausibility of its 3D (bone-length spread, bones outside human range, 2D back-projection error).
Work is kept in `_train/semisup/`; tables go to `nbs/semisup_study/`, which `nbs/08a_semisup.ipynb` reads."""
import sys
from dataclasses import replace
from pathlib import Path
import numpy as np, pandas as pd, torch
from runningpose.camera import FILMING
from runningpose.corpus import LABS, RECIPES, loso_summary, make_lifter, open_corpus, training_set, view_errors
from runningpose.files import atomic_write, data_dir
from runningpose.layouts import get_layout
from runningpose.semisup import SemiConfig, MixedBatches, plausibility, unlabelled_set
from runningpose.train import ChunkedBatches, TrainConfig, recalibrate_batchnorm
from runningpose.synth import BodyAugment, DetectorNoise, make_pairs

ROOT = Path(__file__).resolve().parent.parent
WORK, OUT = ROOT / '_train' / 'semisup', ROOT / 'nbs' / 'semisup_study'
RECIPE = replace(RECIPES['person_aug'], channels=128, epochs=25, batches=None)
SEMI = SemiConfig(warmup=2)
LABELLED_SHARE = 0.1

def labelled_split(trials:dict, share:float=LABELLED_SHARE, seed:int=0)->tuple[dict, dict]:
    "(labelled, unlabelled) subjects of `trials`: whole subjects in a seeded order until `share` of the frames."
    total = sum(len(m) for ms in trials.values() for m in ms)
    lab, n = {}, 0
    for s in np.random.default_rng(seed).permutation(sorted(trials)):
        if n >= share * total: break
        lab[s] = trials[s]; n += sum(len(m) for m in trials[s])
    return lab, {s: v for s, v in trials.items() if s not in lab}

def synthetic_2d(trials:dict, layout:str, seed:int=7, cameras:int=4)->list:
    "2D keypoints of `trials` through filming cameras with detector noise; their 3D is not kept."
    pairs = make_pairs(trials, get_layout(layout), cameras_per_trial=cameras, fps=RECIPE.fps, sampler=FILMING,
                       noise=DetectorNoise.calibrated(), augment=BodyAugment(), rng=np.random.default_rng(seed))
    return [p.keypoints for p in pairs]

def mixed_batchnorm(lifter:tuple, recipe, labelled:dict, unlabelled:list):
    """Re-estimate a supervised model's batch-norm statistics over its labelled windows and the unlabelled ones
    together, as semi-supervised training does: what that alone buys, without the unlabelled losses."""
    model, card = lifter
    lab = training_set(recipe, labelled)
    u = unlabelled_set(unlabelled, get_layout(recipe.layout), recipe.fps, recipe.normalization)
    mixed = MixedBatches(ChunkedBatches(lab, model.receptive_field, seed=recipe.seed),
                         ChunkedBatches(u, model.receptive_field, seed=recipe.seed + 1))
    recalibrate_batchnorm(model, mixed, TrainConfig().bn_recalibrate, epoch=recipe.epochs)

def _cached(path:Path, make)->pd.DataFrame:
    if not path.exists():
        t = make()
        atomic_write(path, lambda p: t.to_csv(p, index=False))
    return pd.read_csv(path)

def labelled_study(corpus:dict)->pd.DataFrame:
    "Held-out errors of supervised and semi-supervised models trained on a tenth of the labels, per lab."
    tables = []
    for lab, held in LABS.items():
        train_on = {s: m for s, m in corpus.items() if s not in held}
        labelled, rest = labelled_split(train_on)
        for kind in ('supervised', 'supervised, batch norm with unlabelled', 'semi-supervised'):
            def run():
                unl = synthetic_2d(rest, RECIPE.layout)
                kw = dict(unlabelled=unl, semi=SEMI) if kind == 'semi-supervised' else {}
                lifter = make_lifter(RECIPE, labelled, WORK / f"{lab}_{kind.split(',')[0]}.pt", progress=True, **kw)
                if kind.startswith('supervised,'): mixed_batchnorm(lifter, RECIPE, labelled, unl)
                t = view_errors(lifter, {s: corpus[s] for s in held})
                return t.assign(held_out=lab, training=kind, labelled=','.join(sorted(labelled)),
                                minutes=lifter[1].training['training_minutes'])
            tables.append(_cached(WORK / f"{lab}_{kind}.csv", run))
            print(lab, kind, 'done', flush=True)
    return pd.concat(tables, ignore_index=True)

def real_2d()->dict:
    "The real 2D of the shared data as COCO-17: richardrun's Detectron2 tracks (30 fps phones), ioanna1's and demo3's."
    from runningpose.detect import detect
    from runningpose.keypoints import read_detectron2
    d = data_dir()
    out = {p.name.split('.')[0]: read_detectron2(p, fps=30, select='track')
           for p in sorted((d / 'richardrun').glob('*.mp4.npz'))}
    for v in (d / 'ioanna1' / 'ioanna1.mp4', d / 'sports2d' / 'demo3.mp4'):
        kp = detect(v, 'mediapipe')
        out[v.stem] = kp.to_layout(get_layout('coco17'))
    return out

def richardrun_study(corpus:dict)->pd.DataFrame:
    "Plausibility of a COCO model's 3D on richardrun, trained with and without the real 2D as unlabelled input."
    recipe = replace(RECIPE, layout='coco17', epochs=6, batches=120)
    seqs = real_2d()
    rows = []
    for kind in ('supervised', 'supervised, batch norm with unlabelled', 'semi-supervised'):
        kw = dict(unlabelled=list(seqs.values()), semi=SEMI) if kind == 'semi-supervised' else {}
        lifter = make_lifter(recipe, corpus, WORK / f"richardrun_{kind.split(',')[0]}.pt", progress=True, **kw)
        if kind.startswith('supervised,'): mixed_batchnorm(lifter, recipe, corpus, list(seqs.values()))
        for name, kp in seqs.items():
            if name.startswith('richardrun'):
                rows.append(dict(clip=name, training=kind, minutes=lifter[1].training['training_minutes'],
                                 **plausibility(kp, lifter)))
        print('richardrun', kind, 'done', flush=True)
    return pd.DataFrame(rows)

def main(parts, threads=None):
    if threads: torch.set_num_threads(threads)
    WORK.mkdir(parents=True, exist_ok=True); OUT.mkdir(exist_ok=True)
    corpus = open_corpus()
    if 'labelled' in parts:
        t = labelled_study(corpus)
        t.to_csv(OUT / 'labelled.csv', index=False)
        for kind, g in t.groupby('training'):
            s = loso_summary(g)
            print(kind, s['clean 2D, mean over held-out labs'], s['detector-noise 2D, mean over held-out labs'])
    if 'richardrun' in parts:
        t = _cached(WORK / 'richardrun.csv', lambda: richardrun_study(corpus))
        t.to_csv(OUT / 'richardrun.csv', index=False)
        print(t.round(3).to_string())

if __name__ == '__main__':
    args = sys.argv[1:]
    threads = int(args.pop(0)[len('--threads='):]) if args and args[0].startswith('--threads=') else None
    main(args or ['labelled', 'richardrun'], threads)
