"""Speed of each stage of the video pipeline, end to end, and peak memory as videos get longer.

    python benchmarks/video.py [VIDEO] [--no-memory]     (default video: ../shared/data/ioanna1/ioanna1.mp4)

Prints measured numbers only. Stages: decoding frames (PyAV), BlazePose detection, lifting with the
shipped model, placing it on the ground (scale, pelvis path, ground plane), the gait report, rendering;
detection is also timed with its decoding in the same thread, as it was before frames were prefetched,
and rendering with the matplotlib renderer it replaced (loaded from git history, so both run here).
The whole `runningpose infer` command is timed too, in a fresh process with its start-up, report and
exports, with and without its render. The video is also scaled to 1280x720 to measure a 720p clip, and
looped to 2x and 4x its length to show whether peak memory stays flat (each length in a fresh process).
"""
import resource, subprocess, sys, tempfile, time, types
from unittest import mock
from pathlib import Path


def stage_times(video):
    "Seconds per stage for `video`."
    from runningpose.detect import iter_frames, detect_video, video_info
    from runningpose.lift import lift, load_lifter, scale_to_height
    from runningpose.world import world_motion, video_camera, DEFAULT_HFOV
    from runningpose.viz import render
    from runningpose.gait import gait_report
    info = video_info(video)
    t = time.perf_counter(); n = sum(1 for _ in iter_frames(video)); decode = time.perf_counter() - t
    t = time.perf_counter(); kp = detect_video(video); detect = time.perf_counter() - t
    with mock.patch('runningpose.detect.prefetched', lambda items, depth=4: items):   # decoding not overlapped
        t = time.perf_counter(); detect_video(video); serial = time.perf_counter() - t
    lifter = load_lifter()
    t = time.perf_counter(); lifted = lift(kp, lifter); lifting = time.perf_counter() - t
    t = time.perf_counter()                                     # what analyse does after lifting
    pose = world_motion(kp, scale_to_height(lifted, 1.75), video_camera(kp, DEFAULT_HFOV))[0]
    world = time.perf_counter() - t
    with tempfile.TemporaryDirectory() as d:
        t = time.perf_counter(); gait_report(pose, Path(d) / 'gait', method='sweep'); report = time.perf_counter() - t
        t = time.perf_counter(); render(video, kp, pose, Path(d) / 'r.mp4'); rendering = time.perf_counter() - t
        times = dict(decode=decode, detect=detect, serial=serial, lift=lifting, world=world, report=report,
                     render=rendering)
        if (old := matplotlib_render()) is not None:
            t = time.perf_counter(); old(video, kp, pose, Path(d) / 'old.mp4'); times['mpl'] = time.perf_counter() - t
    return info, n, times


MATPLOTLIB_RENDER = '838b755^'        # the last commit whose renderer drew a matplotlib figure per frame


def matplotlib_render(commit=MATPLOTLIB_RENDER):
    """`render` as it was at `commit` (a matplotlib figure per frame), loaded from the project's git history, so both
    renderers are timed in one run; None outside a git checkout."""
    import runningpose.detect
    src = subprocess.run(['git', 'show', f'{commit}:runningpose/viz.py'], cwd=Path(__file__).resolve().parents[1],
                         capture_output=True, text=True)
    if src.returncode: return None
    mod = types.ModuleType('runningpose._viz_matplotlib'); mod.__package__ = 'runningpose'
    exec(compile(src.stdout, f'runningpose/viz.py@{commit}', 'exec'), mod.__dict__)
    # frames decoded in this thread: its writer starts ffmpeg at the first frame, and a fork beside a decoding thread
    # can hang
    mod.iter_frames = lambda path: runningpose.detect._rgb_frames(path)
    return mod.render


def command_seconds(clip, out, *extra)->float:
    "Seconds of one `runningpose infer CLIP` process, start-up, report and exports included."
    cmd = [sys.executable, '-c', 'import sys; from runningpose.cli import main; sys.exit(main())', 'infer', str(clip),
           '-o', str(out), '--quiet', *extra]
    t = time.perf_counter(); subprocess.run(cmd, check=True, capture_output=True); return time.perf_counter() - t


def startup_seconds()->float:
    "Seconds for a fresh process to import what `infer` needs (the command line, PyTorch, MediaPipe)."
    code = 'import runningpose.cli, runningpose.lift, runningpose.viz, torch, mediapipe, plotly.graph_objects'
    t = time.perf_counter(); subprocess.run([sys.executable, '-c', code], check=True); return time.perf_counter() - t


def make_variant(video, out, scale=None, loops=1):
    "Write `video` scaled to `scale` (w, h) and/or repeated `loops` times to `out` (H.264, by imageio-ffmpeg's ffmpeg)."
    import imageio_ffmpeg
    cmd = [imageio_ffmpeg.get_ffmpeg_exe(), '-v', 'error', '-y', '-stream_loop', str(loops - 1), '-i', str(video)]
    cmd += ['-vf', f'scale={scale[0]}:{scale[1]}'] if scale else []
    subprocess.run(cmd + ['-c:v', 'libx264', '-preset', 'veryfast', '-an', str(out)], check=True)
    return out


def peak_memory(video):
    "Peak resident memory (MB) of a fresh process that detects and lifts `video`."
    code = ("import resource; from runningpose.detect import detect_video; from runningpose.lift import lift, load_lifter; "
            f"lift(detect_video({str(video)!r}), load_lifter()); print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)")
    return float(subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1])


def main(video=None, memory_check=True):
    video = Path(video or Path(__file__).resolve().parents[2] / 'shared' / 'data' / 'ioanna1' / 'ioanna1.mp4')
    with tempfile.TemporaryDirectory() as d:
        clips = {'original': video, '720p': make_variant(video, Path(d) / 'clip720.mp4', scale=(1280, 720))}
        for name, clip in clips.items():
            info, n, st = stage_times(clip)
            total = st['detect'] + st['lift'] + st['world'] + st['report']      # detection decodes the frames itself
            print(f"{name} {info.width}x{info.height}, {n} frames at {info.fps:g} fps:")
            notes = {'decode': '  (decoding alone)',
                     'detect': '  (decoding included, a frame ahead in a second thread)',
                     'serial': '  (detect as before: decoding in the same thread)',
                     'render': '  (OpenCV on numpy images)',
                     'mpl': '  (render as before: a matplotlib figure per frame)'}
            for k, v in st.items(): print(f"  {k:7s} {n / v:8.1f} frames/s" + notes.get(k, ''))
            if 'mpl' in st:
                print(f"  render is {st['mpl'] / st['render']:.1f}x the frame rate of the matplotlib renderer")
            print(f"  end to end, video to 3D on the ground and its gait report (detect + lift + world + report): "
                  f"{n / total:.1f} frames/s; with rendering {n / (total + st['render']):.1f}")
            for label, extra in (('with report and render', ()), ('with report, no render', ('--no-render',))):
                secs = command_seconds(clip, Path(d) / f'out_{name}_{len(extra)}', *extra)
                print(f"  the whole command, runningpose infer {label}: {secs:.1f} s, {n / secs:.1f} frames/s")
            print(f"  (of which the start-up imports: {startup_seconds():.1f} s)")
        if memory_check: check_memory(video, d)


def check_memory(video, d):
    for loops in (1, 2, 4):
        clip = make_variant(video, Path(d) / f'loop{loops}.mp4', loops=loops) if loops > 1 else video
        print(f"peak memory, detect + lift, {loops}x the video: {peak_memory(clip):.0f} MB")


if __name__ == '__main__':
    args = [a for a in sys.argv[1:] if a != '--no-memory']
    main(*args, memory_check='--no-memory' not in sys.argv)
