"""OpenSim inverse kinematics from lifted joints against OpenSim IK from the motion-capture joints, resumable:
`python tools/opensim_study.py [--threads=N]`.

For each lab of Tindra, Hamner and Fukuchi, every running trial (at the lifter's frame rate) is seen by a still side
camera; its clean and detector-noise 2D are lifted by the fold model that never saw that lab and put on the ground;
then both the capture's joints and the lifted joints go through `runningpose.osim.opensim_kinematics`. Rows (one per
trial, input and angle) go to `nbs/opensim_study.csv`, which `nbs/23_osim.ipynb` reads; trials done before are kept."""
import sys, tempfile
from dataclasses import replace
from pathlib import Path
import numpy as np
import pandas as pd
import torch
from runningpose.corpus import LABS, open_corpus, fold_checkpoint
from runningpose.files import atomic_write
from runningpose.gait import joint_angles
from runningpose.layouts import BLAZEPOSE33
from runningpose.lift import load_lifter, LEG_TO_HEIGHT
from runningpose.motion import resample, select, leg_length, to_world
from runningpose.osim import opensim_kinematics, read_sto, ik_angles, IK_ANGLES
from runningpose.pipeline import analyse
from runningpose.synth import FixedView, synthesize, with_head, with_upper_body, DetectorNoise

STUDY_LABS = ('tindra', 'hamner', 'fukuchi')

def _seen(m):
    "Runner joints with a head and an upper body, as the 2D of a video has them."
    return with_head(m if 'thorax' in m else with_upper_body(m)) if 'head' not in m else m

def _angles(m, work, mass=70.0):
    "OpenSim IK sagittal angles and the geometric ones of runner joints `m`, with the IK marker error (mm)."
    paths = opensim_kinematics(m, work, mass)
    err = 1000 * read_sto(paths['marker_errors']).marker_error_RMS.mean()
    return ik_angles(read_sto(paths['motion'])), joint_angles(m), float(err)

def _range(x)->float:
    "Range of motion of an angle over a trial, robust to a few wild frames: its 2nd to 98th percentile."
    return float(np.subtract(*np.nanpercentile(x, [98, 2])))

def _rows(trial, ref, test, kind):
    (ik_r, geo_r, err_r), (ik_t, geo_t, err_t) = ref, test
    n = min(len(ik_r), len(ik_t))
    rows = []
    for angle in IK_ANGLES:
        for side in ('left', 'right'):
            c = f'{side}_{angle}'
            d = ik_t[c].to_numpy()[:n] - ik_r[c].to_numpy()[:n]
            g = geo_t[c].to_numpy()[:n] - geo_r[c].to_numpy()[:n]
            rows.append(dict(trial=trial, input=kind, angle=angle, side=side, frames=n,
                             ik_rmse=float(np.sqrt(np.nanmean(d ** 2))), ik_bias=float(np.nanmean(d)),
                             ik_rom_error=float(_range(ik_t[c][:n]) - _range(ik_r[c][:n])),
                             geometric_rmse=float(np.sqrt(np.nanmean(g ** 2))),
                             marker_error_mm=err_r, lifted_marker_error_mm=err_t))
    return rows

def main(threads=None):
    if threads: torch.set_num_threads(threads)
    root = Path(__file__).resolve().parent.parent
    out = root / 'nbs' / 'opensim_study.csv'
    done = pd.read_csv(out) if out.exists() else pd.DataFrame(columns=['lab', 'trial'])
    corpus = open_corpus(sources=STUDY_LABS)
    for lab in STUDY_LABS:
        lifter = load_lifter(fold_checkpoint(lab))
        for subject in LABS[lab]:
            for k, trial in enumerate(corpus[subject]):
                name = f"{subject}_{k}"
                if ((done.lab == lab) & (done.trial == name)).any(): continue
                tr = resample(to_world(trial), lifter[1].fps)
                cam = FixedView('side')(tr.positions)
                clean = synthesize(_seen(tr), cam, BLAZEPOSE33)
                tall = leg_length(tr) / LEG_TO_HEIGHT
                level = replace(cam, R=np.eye(3), T=np.zeros(3))
                rows = []
                with tempfile.TemporaryDirectory() as work:
                    ref = _angles(tr, Path(work) / 'ref')
                    noisy = DetectorNoise.calibrated()(clean, np.random.default_rng(k))
                    for kind, kp in (('clean', clean), ('noisy', noisy)):
                        lifted = select(analyse(kp, lifter, height=tall, camera=level).world, tr.names)
                        rows += _rows(name, ref, _angles(lifted, Path(work) / kind), kind)
                done = pd.concat([done, pd.DataFrame(rows).assign(lab=lab)], ignore_index=True)
                atomic_write(out, lambda p: done.to_csv(p, index=False, float_format='%.3f'))
                print(lab, name, 'done', flush=True)

if __name__ == '__main__':
    args = sys.argv[1:]
    main(int(args[0][len('--threads='):]) if args and args[0].startswith('--threads=') else None)
