"""Lifting and training throughput of the shipped model on this machine, against its matrix-multiply rate.

    python benchmarks/lifting.py [--threads N] [--checkpoint PATH]

Prints measured numbers only: frames per second when lifting a whole sequence at once (batch),
frame by frame from a rolling window (streaming, the causal use of a single-frame model), training
windows per second, the model's multiply-accumulate count per frame, and the float32 matmul rate
of this machine, so that the lifting rate can be compared with what the arithmetic allows.
With --training-options it also times a training step with 1 and 2 threads, in float32 and under
bfloat16 autocast, eager and through torch.compile, to say what pays on a CPU.
"""
import argparse, time
import numpy as np
import torch


def macs_per_frame(model):
    "Multiply-accumulates of the dense model per output frame (convolutions only)."
    total = 0
    for m in model.modules():
        if isinstance(m, torch.nn.Conv1d): total += m.in_channels * m.out_channels * m.kernel_size[0]
    return total


def timeit(fn, repeat=5, warmup=2):
    for _ in range(warmup): fn()
    ts = []
    for _ in range(repeat):
        t = time.perf_counter(); fn(); ts.append(time.perf_counter() - t)
    return float(np.median(ts))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--threads', type=int, default=torch.get_num_threads())
    ap.add_argument('--checkpoint', default=None)
    ap.add_argument('--training-options', action='store_true')
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    from runningpose.lift import load_lifter
    from runningpose.model import TemporalModelOptimized1f
    from runningpose.model import predict_sequence
    from runningpose.layouts import get_layout
    from runningpose.keypoints import input_layout
    model, card = load_lifter(args.checkpoint)
    lin = input_layout(get_layout(card.input_layout), card.normalization)      # keypoints and any view points
    K, J, rf = len(lin), len(card.output_joints), model.receptive_field
    print(f"model: {card.input_layout} -> {card.output_layout}, receptive field {rf}, "
          f"{sum(p.numel() for p in model.parameters()):,} parameters, {args.threads} threads")

    n = 4096
    a, b = torch.randn(n, n), torch.randn(n, n)
    t = timeit(lambda: a @ b, repeat=3, warmup=1)
    gflops = 2 * n**3 / t / 1e9
    print(f"float32 matmul {n}x{n}: {gflops:.1f} GFLOP/s")

    macs = macs_per_frame(model)
    print(f"dense model: {macs / 1e6:.2f} M multiply-accumulates per frame ({2 * macs / 1e6:.2f} MFLOP)")
    lout = get_layout(card.output_layout)
    for T in (1000, 10000):
        x = np.random.default_rng(0).normal(size=(T, K, 2)).astype(np.float32) * 0.3
        for flip in (False, True):
            t = timeit(lambda: predict_sequence(model, x, lin, lout, flip=flip), repeat=3)
            fps = T / t
            bound = gflops * 1e9 / (2 * macs * (2 if flip else 1))
            print(f"batch, {T} frames, flip {'on ' if flip else 'off'}: {fps:,.0f} frames/s "
                  f"({100 * fps / bound:.0f} % of the matmul-rate bound {bound:,.0f} frames/s)")

    fast = TemporalModelOptimized1f(**model.config).eval()
    fast.load_state_dict(model.state_dict())
    window = torch.randn(1, rf, K, 2)
    with torch.no_grad():
        t = timeit(lambda: [fast(window) for _ in range(200)], repeat=3)
    print(f"streaming, one frame at a time from a {rf}-frame window: {200 / t:,.0f} frames/s ({1000 * t / 200:.2f} ms per frame)")

    fast.train()
    opt = torch.optim.Adam(fast.parameters(), amsgrad=True)
    xb, yb = torch.randn(1024, rf, K, 2), torch.randn(1024, 1, J, 3)
    def step():
        loss = (fast(xb) - yb).norm(dim=-1).mean(); opt.zero_grad(); loss.backward(); opt.step()
    t = timeit(step, repeat=3)
    print(f"training, batch 1024: {1024 / t:,.0f} windows/s")
    if args.training_options: training_options(model, K, J, rf)


def training_options(model, K, J, rf):
    "Training windows per second of a fresh single-frame copy of `model` under each CPU option."
    from runningpose.model import TemporalModelOptimized1f
    xb, yb = torch.randn(1024, rf, K, 2), torch.randn(1024, 1, J, 3)
    for threads in (1, 2):
        torch.set_num_threads(threads)
        for bf16 in (False, True):
            for compiled in (False, True):
                fast = TemporalModelOptimized1f(**model.config).train()
                run = torch.compile(fast) if compiled else fast
                opt = torch.optim.Adam(fast.parameters(), amsgrad=True)
                def step():
                    with torch.autocast('cpu', dtype=torch.bfloat16, enabled=bf16):
                        loss = (run(xb).float() - yb).norm(dim=-1).mean()
                    opt.zero_grad(); loss.backward(); opt.step()
                t0 = time.perf_counter(); step(); first = time.perf_counter() - t0     # compiles, if compiled
                t = timeit(step, repeat=5, warmup=1)
                print(f"training, {threads} thread(s), {'bfloat16' if bf16 else 'float32 '}, "
                      f"{'compiled' if compiled else 'eager   '}: {1024 / t:,.0f} windows/s (first step {first:.1f} s)")


if __name__ == '__main__': main()
