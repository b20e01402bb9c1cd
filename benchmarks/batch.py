"""Throughput of `runningpose infer` on a folder of clips with one worker and with two.

    python benchmarks/batch.py [VIDEO] [--clips 8] [--size 1280x720] [--render]
                               (default video: ioanna1/ioanna1.mp4 of the shared data folder)

The video is scaled to `--size` and re-encoded once (H.264, by the ffmpeg of imageio-ffmpeg), and copied `--clips`
times into a temporary folder (each clip the whole run, so that every clip has a runner to find); then the folder
goes through `runningpose infer --workers 1` and `--workers 2`, each in a fresh process, without render unless
`--render`. Prints measured numbers only: frames, seconds and frames per second per run, the ratio of the two, and
the CPU count.
"""
import argparse, os, subprocess, sys, tempfile, time
from pathlib import Path


def clips_of(video:Path, n:int, size:str, out:Path)->list[Path]:
    "`n` copies of `video` scaled to `size`, as H.264 files in `out`."
    import shutil, imageio_ffmpeg
    w, h = size.split('x')
    first = out / "clip00.mp4"
    cmd = [imageio_ffmpeg.get_ffmpeg_exe(), '-v', 'error', '-y', '-i', str(video), '-vf', f"scale={w}:{h}",
           '-c:v', 'libx264', '-preset', 'veryfast', '-an', str(first)]
    subprocess.run(cmd, check=True)
    for i in range(1, n): shutil.copy(first, out / f"clip{i:02d}.mp4")
    return sorted(out.glob('clip*.mp4'))


def frames(clips)->int:
    import imageio.v3 as iio
    return sum(sum(1 for _ in iio.imiter(c, plugin='pyav')) for c in clips)


def run(folder:Path, out:Path, workers:int, render:bool)->float:
    "Seconds of one `runningpose infer FOLDER --workers N` process."
    cmd = [sys.executable, '-c', 'import sys; from runningpose.cli import main; sys.exit(main())', 'infer', str(folder),
           '-o', str(out), '--quiet', '--workers', str(workers), '--formats', 'npz']
    cmd += [] if render else ['--no-render']
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t


def main():
    from runningpose.files import data_dir
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('video', nargs='?', default=None)
    ap.add_argument('--clips', type=int, default=8)
    ap.add_argument('--size', default='1280x720')
    ap.add_argument('--render', action='store_true')
    a = ap.parse_args()
    video = Path(a.video) if a.video else data_dir() / 'ioanna1' / 'ioanna1.mp4'
    with tempfile.TemporaryDirectory() as d:
        d = Path(d); (d / 'clips').mkdir()
        clips = clips_of(video, a.clips, a.size, d / 'clips')
        n = frames(clips)
        print(f"{a.clips} clips of {video.name} at {a.size}, {n} frames in all; {os.cpu_count()} CPUs"
              f"{'' if a.render else '; no render'}")
        secs = {}
        for w in (1, 2):
            secs[w] = run(d / 'clips', d / f'out{w}', w, a.render)
            print(f"--workers {w}: {secs[w]:.1f} s, {n / secs[w]:.1f} frames/s")
        print(f"--workers 2 over --workers 1: {secs[1] / secs[2]:.2f}x throughput")


if __name__ == '__main__':
    main()
