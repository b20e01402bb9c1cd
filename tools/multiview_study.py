"""Triangulation from 2, 3 and 4 virtual cameras against lifting from one, on the held-out labs' captures.

    RUNNINGPOSE_DATA=/path/to/data python tools/multiview_study.py [--keep-lifting]

Each trial (the first `TRIALS` of each subject of `runningpose.corpus.LABS`'s Tindra, Hamner and Fukuchi runners, the
first `SECONDS` of each, at 50 fps) is filmed by still cameras from `runningpose.multiview.camera_rig`, with clean 2D
and with `runningpose.synth.DetectorNoise.calibrated()`. Triangulation with the known cameras is scored against the
markers' joints in the world; lifting from each single camera by the fold model that never saw that lab
(`runningpose.corpus.fold_checkpoint`), relative to the pelvis in that camera's frame. One row per trial, method, views
and noise goes to `nbs/multiview_study/comparison.csv`, which `nbs/22_multiview.ipynb` reads.

The same views also calibrate their cameras from the runner (`runningpose.selfcalib.self_calibrate`, lenses known,
height the one the markers' leg length implies); those joints are scored after turning and shifting them
horizontally onto the markers (heading and origin are conventions; ground, up and scale are as found), and after one
similarity transform for the whole sequence (`mpjpe_sim`, for every method: what is left once the world frame and the
scale are set aside), with the cameras' mean rotation and position errors after the best similarity and the scale
error of the height (`runningpose.selfcalib.camera_errors`), and the seconds the calibration took.

Where Pose2Sim is installed (`pip install --no-deps pose2sim rtoml anytree c3d`: its triangulation needs no more), its
own triangulation runs on the same 2D and known cameras (`pose2sim_triangulate`) and adds a row per trial too.

`--keep-lifting` keeps the lifting rows of the existing table instead of running the models again (the 2D, and so
every other row, is the same either way)."""
import sys, time, warnings
from dataclasses import replace
from pathlib import Path
import numpy as np
import pandas as pd
from runningpose.corpus import open_corpus, LABS, fold_checkpoint
from runningpose.lift import load_lifter, lift
from runningpose.layouts import BLAZEPOSE33, RUNNER
from runningpose.motion import Motion, to_world, resample
from runningpose.synth import synthesize, DetectorNoise, with_head, with_upper_body
from runningpose.camera import world_to_camera
from runningpose.metrics import joint_errors, align_procrustes
from runningpose.gait import joint_angles
from runningpose.multiview import camera_rig, triangulate, runner_joints, smooth_gaps, _extrinsics
from runningpose.selfcalib import self_calibrate, camera_errors
from runningpose.motion import leg_length
from runningpose.lift import LEG_TO_HEIGHT

TRIALS, SECONDS, FPS = 2, 5.0, 50
SPREAD = {2: 90, 3: 120, 4: 135}              # degrees of azimuth the rig's cameras span
ANGLES = {'knee': ('left_knee_flexion', 'right_knee_flexion'), 'hip': ('left_hip_flexion', 'right_hip_flexion')}

def _angle_errors(pred:Motion, true:Motion, keep:list[int])->dict:
    """Mean absolute knee and hip flexion error (degrees) over frames and sides, both from the joints `keep` only (hip
    flexion from the vertical where the capture has no trunk)."""
    drop = [i for i in range(len(RUNNER)) if i not in keep]
    pos = pred.positions.copy(); pos[:, drop] = np.nan
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', RuntimeWarning)
        a, b = joint_angles(replace(pred, positions=pos)), joint_angles(true)
        return {f'{k}_deg': float(np.nanmean(np.abs(a[list(c)].to_numpy() - b[list(c)].to_numpy())))
                for k, c in ANGLES.items()}

def _scores(pred:np.ndarray, true:np.ndarray, keep:list[int])->dict:
    """MPJPE (absolute, pelvis-relative, and after one similarity transform for the whole sequence) and P-MPJPE (mm)
    over the joints `keep`; share of joint-frames missing."""
    p, t = pred[:, keep], true[:, keep]
    root = RUNNER['pelvis']
    rel = lambda x: x[:, keep] - x[:, root:root + 1]
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', RuntimeWarning)
        ok = ~np.isnan(p).any((1, 2))
        both = ~np.isnan(p).any(-1) & ~np.isnan(t).any(-1)               # one similarity for the whole sequence
        whole = align_procrustes(p[both][None], t[both][None])[0]
        return dict(mpjpe=1000 * np.nanmean(joint_errors(p, t)),
                    mpjpe_sim=1000 * np.linalg.norm(whole - t[both], axis=-1).mean(),
                    mpjpe_rel=1000 * np.nanmean(joint_errors(rel(pred), rel(true))),
                    p_mpjpe=1000 * np.nanmean(joint_errors(align_procrustes(p[ok], t[ok]), t[ok])),
                    missing=float(np.isnan(p).any(-1).mean()))

def _heading_aligned(pred:np.ndarray, true:np.ndarray)->np.ndarray:
    """`pred` (T, J, 3) turned about the vertical and shifted horizontally onto `true`: self-calibrated cameras fix the
    ground and the scale, but the run's heading and the origin are conventions."""
    ok = ~np.isnan(pred).any(-1) & ~np.isnan(true).any(-1)
    p, t = pred[ok][:, :2], true[ok][:, :2]
    mp, mt = p.mean(0), t.mean(0)
    u, _, vt = np.linalg.svd((p - mp).T @ (t - mt))
    R = u @ np.diag([1, np.linalg.det(u @ vt)]) @ vt
    out = pred.copy()
    out[..., :2] = (pred[..., :2] - mp) @ R + mt
    return out

POSE2SIM = dict(reproj_error_threshold_triangulation=15, likelihood_threshold_triangulation=0.3,   # Pose2Sim's
                min_cameras_for_triangulation=2, handle_LR_swap=False, undistort_points=False)    # defaults

def pose2sim_triangulate(views:list, cams:list)->Motion|None:
    """Runner joints from Pose2Sim's own triangulation of each keypoint in each frame
    (`triangulation_from_best_cameras`: likelihood-weighted DLT, leaving cameras out while the mean reprojection error
    is above its threshold), on the same 2D and cameras as `triangulate`, then the same gap filling and low-pass; None
    where Pose2Sim is not installed."""
    try: from Pose2Sim.triangulation import triangulation_from_best_cameras
    except ImportError: return None
    K = lambda c: np.array([[c.f[0], 0, c.c[0]], [0, c.f[1], c.c[1]], [0, 0, 1]])
    P = [K(c) @ _extrinsics(c, 1)[0] for c in cams]
    xy = np.stack([v.xy for v in views]).astype(float); lik = np.stack([v.score for v in views]).astype(float)
    low = ~(lik >= POSE2SIM['likelihood_threshold_triangulation'])      # as Pose2Sim: low scores are missing, not weak
    xy[low], lik[low] = np.nan, np.nan
    T, J = lik.shape[1:]
    X = np.full((T, J, 3), np.nan)
    for t in range(T):
        for j in range(J):
            coords = (xy[:, t, j, 0], xy[:, t, j, 1], lik[:, t, j])
            X[t, j] = triangulation_from_best_cameras({'triangulation': POSE2SIM}, coords, coords, P, None)[0]
    v = views[0]
    m = Motion(RUNNER.names, runner_joints(X, v.layout), v.fps, 'm', 'z', v.source, RUNNER, 'world')
    return smooth_gaps(m)[0]

def _trials():
    "(lab, trial name, runner joints at FPS) of the study."
    for lab in ('tindra', 'hamner', 'fukuchi'):
        corpus = open_corpus(sources=(lab,))
        for subject in LABS[lab]:
            for m in corpus[subject][:TRIALS]:
                m = resample(to_world(m), FPS)
                yield lab, Path(m.source).name, replace(m, positions=m.positions[:int(SECONDS * FPS)])

def scene(m:Motion)->tuple[Motion, np.ndarray, list[int]]:
    "What the cameras film of capture `m` (with an upper body: 2D needs one), its true runner joints, those scored."
    shown = with_head(m) if 'thorax' in m else with_upper_body(m)
    truth = np.stack([m[n] if n in m else np.full((len(m), 3), np.nan) for n in RUNNER.names], 1)
    return shown, truth, [i for i, n in enumerate(RUNNER.names) if n in m and not np.isnan(m[n]).all()]

def main(keep_lifting:bool=False):
    rows, rng = [], np.random.default_rng(0)
    lifters = {}
    out = Path(__file__).resolve().parent.parent / 'nbs' / 'multiview_study' / 'comparison.csv'
    kept = pd.read_csv(out) if keep_lifting else None
    for lab, trial, m in _trials():
        shown, truth, keep = scene(m)
        if lab not in lifters and not keep_lifting: lifters[lab] = load_lifter(fold_checkpoint(lab))
        for noise in ('clean', 'detector noise'):
            for n in (4, 3, 2):
                cams = camera_rig(shown, n, spread=SPREAD[n])
                views = [synthesize(shown, c, BLAZEPOSE33) for c in cams]
                if noise != 'clean': views = [DetectorNoise.calibrated()(v, rng) for v in views]
                est, _ = triangulate(views, cams)
                true_m = replace(est, positions=truth)
                rows.append(dict(lab=lab, trial=trial, noise=noise, views=n, method='triangulation, known cameras',
                                 spread=SPREAD[n], **_scores(est.positions, truth, keep),
                                 **_angle_errors(est, true_m, keep)))
                if (p2s := pose2sim_triangulate(views, cams)) is not None:
                    rows.append(dict(lab=lab, trial=trial, noise=noise, views=n, spread=SPREAD[n],
                                     method='Pose2Sim triangulation, known cameras',
                                     **_scores(p2s.positions, truth, keep), **_angle_errors(p2s, true_m, keep)))
                height = leg_length(m) / LEG_TO_HEIGHT                    # the height the markers' legs imply
                start = time.process_time()
                found, _ = self_calibrate(views, height, cams)
                seconds = time.process_time() - start
                est, _ = triangulate(views, found)
                errors, scale = camera_errors(found, cams)
                aligned = _heading_aligned(est.positions, truth)
                s = _scores(aligned, truth, keep)
                rows.append(dict(lab=lab, trial=trial, noise=noise, views=n, spread=SPREAD[n],
                                 method='triangulation, self-calibrated cameras', **s,
                                 **_angle_errors(replace(est, positions=aligned), true_m, keep),
                                 rotation_deg=errors.rotation_deg.mean(), position_cm=errors.position_cm.mean(),
                                 scale_pct=100 * (1 / scale - 1), seconds=seconds))
                if n != 4: continue
                if keep_lifting:
                    rows += kept[(kept.trial == trial) & (kept.noise == noise) &
                                 (kept.method == 'lifting, fold model')].to_dict('records')
                    continue
                for c, v in zip(cams, views):                              # one camera at a time
                    pose = lift(v, lifters[lab])
                    cam_truth = world_to_camera(c, truth)
                    cam_truth = cam_truth - cam_truth[:, RUNNER['pelvis']][:, None]
                    s = _scores(pose.positions, cam_truth, keep)
                    s['mpjpe'] = s['mpjpe_rel']                           # lifting is relative to the pelvis
                    rows.append(dict(lab=lab, trial=trial, noise=noise, views=1, method='lifting, fold model',
                                     spread=0, **s, **_angle_errors(pose, replace(pose, positions=cam_truth), keep)))
        print(lab, trial, 'done', flush=True)
    out.parent.mkdir(exist_ok=True)
    pd.DataFrame(rows).to_csv(out, index=False, float_format='%.3f')
    print(out)

if __name__ == '__main__':
    main(keep_lifting='--keep-lifting' in sys.argv[1:])
