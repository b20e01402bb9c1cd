"""Leave-one-lab-out comparison of lifting recipes, resumable: `python tools/lifting_study.py [--threads=N] NAME ...`.

NAME is a key of `runningpose.corpus.RECIPES`. Each recipe's folds are kept in `_train/study/NAME/`; the combined errors
go to `nbs/lifting_study/NAME.csv`, which `nbs/19_lifting_study.ipynb` reads."""
import sys
from pathlib import Path
import torch
from runningpose.corpus import RECIPES, open_corpus, leave_lab_out

def main(names, threads=None):
    if threads: torch.set_num_threads(threads)
    unknown = [n for n in names if n not in RECIPES]
    if unknown: sys.exit(f"unknown recipe {', '.join(unknown)}; known: {', '.join(RECIPES)}")
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
