"""Make the shipped lifting models from a recipe, resumable:
`python tools/ship_models.py [--threads=N] [--train-only | --rescore] RECIPE [blazepose] [coco]`.

RECIPE is a key of `runningpose.corpus.RECIPES`; each model reads its layout's keypoints (`blazepose_body` or `coco17`).
A model's card reports the same recipe's leave-one-lab-out errors: the BlazePose folds are those of
`tools/lifting_study.py` (`_train/study/RECIPE/`), the COCO folds are made here (`_train/study/RECIPE_coco/`, their
table in `nbs/lifting_study/coco/`); the BlazePose fold models go to `checkpoint/folds/`. The training on every capture
is kept in `_train/ship/`; `--train-only` trains without evaluating or writing the checkpoint (run again without it to
finish). `--rescore` trains nothing: it scores the committed BlazePose fold models again with today's
`runningpose.corpus.view_errors` (for a protocol added since) and rewrites the cards and the recipe's table
(`runningpose.corpus.rescore_folds`)."""
import sys
from dataclasses import replace
from pathlib import Path
import torch
from runningpose.corpus import RECIPES, open_corpus, leave_lab_out, make_lifter, make_shipped, save_folds, rescore_folds
from runningpose.model import SHIPPED, shipped_checkpoint

LAYOUTS = {'blazepose': 'blazepose_body', 'coco': 'coco17'}
NOTES = ("Trained on every capture of the corpus; the evaluation is that of the same recipe trained without each lab "
         "in turn and scored on its runners. Heels and toes come from the shipped marker recipes; hips are joint "
         "centres (Harrington 2007), not surface points.")

def ship(recipe_name:str, name:str, train_only:bool=False):
    root = Path(__file__).resolve().parent.parent
    recipe = replace(RECIPES[recipe_name], layout=LAYOUTS[name])
    corpus = open_corpus()
    state = root / '_train' / 'ship' / f'{recipe_name}_{name}.pt'
    state.parent.mkdir(parents=True, exist_ok=True)
    if train_only:
        make_lifter(recipe, corpus, state_path=state, progress=True)
        return print(f"{name}: trained ({state})", flush=True)
    study_name = recipe_name if name == 'blazepose' else f'{recipe_name}_{name}'
    study = leave_lab_out(recipe, corpus, root / '_train' / 'study' / study_name, progress=True)
    if name != 'blazepose':
        (root / 'nbs' / 'lifting_study' / name).mkdir(parents=True, exist_ok=True)
        study.to_csv(root / 'nbs' / 'lifting_study' / name / f'{recipe_name}.csv', index=False)
    dest = make_shipped(recipe, corpus, study, state, root / 'checkpoint' / SHIPPED[name], notes=NOTES, progress=True)
    print(f"{name}: wrote {dest}", flush=True)
    if name == 'blazepose':                        # the fold models the validation studies use
        for f in save_folds(recipe, corpus, study, root / '_train' / 'study' / study_name, dest): print('wrote', f)

def rescore(recipe_name:str):
    "Score the committed BlazePose folds of `recipe_name` again; rewrite their cards, the model's, the study table."
    root = Path(__file__).resolve().parent.parent
    study = rescore_folds(open_corpus(), shipped_checkpoint('blazepose'))
    study.to_csv(root / 'nbs' / 'lifting_study' / f'{recipe_name}.csv', index=False)
    print(f"rescored the blazepose folds of {recipe_name}", flush=True)

if __name__ == '__main__':
    args = sys.argv[1:]
    if args and args[0].startswith('--threads='): torch.set_num_threads(int(args.pop(0)[len('--threads='):]))
    train_only, again = '--train-only' in args, '--rescore' in args
    args = [a for a in args if a not in ('--train-only', '--rescore')]
    if not args or args[0] not in RECIPES: sys.exit(__doc__)
    if again: sys.exit(rescore(args[0]))
    for name in args[1:] or LAYOUTS: ship(args[0], name, train_only)
