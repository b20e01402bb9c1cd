"""Peak memory of `runningpose infer` as the video gets longer: it should stay flat.

    python benchmarks/memory.py [VIDEO] [--repeats 1,2,4,8] [--no-render]
                                (default video: ioanna1/ioanna1.mp4 of the shared data folder)

Each length is the video repeated N times end to end (stream-copied by ffmpeg, no re-encoding) and runs in a fresh
`runningpose infer` process; its peak resident memory is read from the kernel's accounting of that one child process
(`os.wait4`). Prints measured numbers only: frames, seconds, peak RSS, and the growth per extra 1000 frames.
"""
import argparse, os, subprocess, sys, tempfile, time
from pathlib import Path


def repeated(video:Path, n:int, out:Path)->Path:
    "`video` played `n` times in a row, written to `out` without re-encoding."
    import imageio_ffmpeg
    if n == 1: return video
    cmd = [imageio_ffmpeg.get_ffmpeg_exe(), '-v', 'error', '-y', '-stream_loop', str(n - 1), '-i', str(video),
           '-c', 'copy', str(out)]
    subprocess.run(cmd, check=True)
    return out


def infer_peak(video:Path, out:Path, render:bool=True)->tuple[float, float]:
    "(peak RSS in MB, seconds) of one `runningpose infer` process on `video`."
    cmd = [sys.executable, '-c', 'import sys; from runningpose.cli import main; sys.exit(main())', 'infer', str(video),
           '-o', str(out), '--quiet'] + ([] if render else ['--no-render'])
    t = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)           # this child's own peak, not the largest of all children so far
    if os.waitstatus_to_exitcode(status) != 0: raise RuntimeError(f"infer failed on {video}")
    return usage.ru_maxrss / 1024, time.perf_counter() - t          # Linux reports kilobytes


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('video', nargs='?')
    ap.add_argument('--repeats', default='1,2,4,8')
    ap.add_argument('--no-render', action='store_true')
    args = ap.parse_args()
    from runningpose.detect import video_info
    from runningpose.files import data_dir
    video, rows = Path(args.video or data_dir()/'ioanna1'/'ioanna1.mp4'), []
    with tempfile.TemporaryDirectory() as d:
        for n in map(int, args.repeats.split(',')):
            clip = repeated(video, n, Path(d)/f"{video.stem}_x{n}{video.suffix}")
            info = video_info(clip)
            mb, s = infer_peak(clip, Path(d)/f"out_x{n}", not args.no_render)
            rows.append((n, info.frames, mb, s))
            print(f"{video.name} x{n}: {info.frames} frames {info.width}x{info.height}, infer{' --no-render' * args.no_render}"
                  f" {s:.0f} s, peak RSS {mb:.0f} MB", flush=True)
    if len(rows) > 1:
        (_, f0, m0, _), (_, f1, m1, _) = rows[0], rows[-1]
        print(f"peak RSS grew {m1 - m0:+.0f} MB from {f0} to {f1} frames ({1000 * (m1 - m0) / (f1 - f0):+.1f} MB per 1000 "
              "frames)")


if __name__ == '__main__': main()
