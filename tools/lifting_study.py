"""Leave-one-lab-out comparison of lifting recipes, resumable: `python tools/lifting_study.py NAME [NAME ...]`.

Each recipe's folds are kept in `_train/study/NAME/`; the combined errors go to `nbs/lifting_study/NAME.csv`, which
`nbs/19_lifting_study.ipynb` reads."""
import sys
from dataclasses import replace
from pathlib import Path
import torch
from runningpose.corpus import LifterRecipe, open_corpus, leave_lab_out

BUDGET = dict(epochs=6, batches=120)          # the same number of training windows for every recipe
RECIPES = {
    'screen': LifterRecipe(normalization='videopose3d_screen', sampler='default', augment=False, **BUDGET),
    'person': LifterRecipe(normalization='person_centred', sampler='default', augment=False, **BUDGET),
    'person_aug': LifterRecipe(normalization='person_centred', sampler='filming', augment=True, **BUDGET),
    'person_aug_81f': LifterRecipe(normalization='person_centred', sampler='filming', augment=True,
                                   filter_widths=(3, 3, 3, 3), **BUDGET),
    'person_aug_512': LifterRecipe(normalization='person_centred', sampler='filming', augment=True, channels=512,
                                   **BUDGET),
}

def main(names, threads=None):
    if threads: torch.set_num_threads(threads)
    root = Path(__file__).resolve().parent.parent
    corpus = open_corpus()
    for name in names:
        table = leave_lab_out(RECIPES[name], corpus, root / '_train' / 'study' / name, progress=True)
        out = root / 'nbs' / 'lifting_study' / f'{name}.csv'
        out.parent.mkdir(exist_ok=True)
        table.to_csv(out, index=False)
        print(name, 'done', flush=True)

if __name__ == '__main__':
    args = sys.argv[1:]
    threads = int(args.pop(0)[len('--threads='):]) if args and args[0].startswith('--threads=') else None
    main(args, threads)
