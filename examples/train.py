"""A tiny training (numpy only) that Cairn manages through its Python client.

    cairn exec -e examples/spirals --set lr=0.5 --set epochs=5 -- python examples/train.py

A two-layer perceptron learns two interleaved spirals. Each step logs the training loss; each epoch logs
the validation loss and accuracy and hands a checkpoint (an .npz of the weights) to Cairn, which keeps
the best two by validation loss and the last. Run again with the same experiment and it resumes from
the experiment's latest checkpoint. Outside `cairn exec` it creates its own run (experiment
`examples/spirals`) in the store found as the CLI finds it.
"""

import numpy as np

import cairn

DEFAULTS = {"lr": 0.5, "epochs": 4, "hidden": 32, "batch": 64, "seed": 0}


def spirals(count, rng):
    """Two interleaved spirals with a little noise: points and labels."""
    t = np.sqrt(rng.uniform(0, 1, count)) * 3 * np.pi
    label = rng.integers(0, 2, count)
    radius = t / (3 * np.pi)
    angle = t + label * np.pi
    points = np.stack([radius * np.cos(angle), radius * np.sin(angle)], axis=1) + rng.normal(0, 0.03, (count, 2))
    return points.astype(np.float64), label


def forward(weights, x):
    hidden = np.tanh(x @ weights["w1"] + weights["b1"])
    logits = hidden @ weights["w2"] + weights["b2"]
    return hidden, 1 / (1 + np.exp(-logits[:, 0]))


def main():
    run = cairn.init(experiment="examples/spirals", config=DEFAULTS)
    config = {**DEFAULTS, **run.config}
    rng = np.random.default_rng(config["seed"])
    x, y = spirals(2000, rng)
    x_val, y_val = spirals(500, rng)
    hidden = int(config["hidden"])
    weights = {"w1": rng.normal(0, 1, (2, hidden)), "b1": np.zeros(hidden),
               "w2": rng.normal(0, 1 / np.sqrt(hidden), (hidden, 1)), "b2": np.zeros(1)}
    start_epoch = 0
    resume = run.latest(run.experiment)
    if resume is not None:
        with np.load(resume["path"]) as saved:
            weights = {key: saved[key] for key in weights}
        start_epoch = int(resume["epoch"]) + 1
        run.set_tags({"resumed_from": resume["path"]})
    run.log_params({"lr": config["lr"], "hidden": hidden, "batch": config["batch"]})
    step = start_epoch * (len(x) // int(config["batch"]))
    policy = {"monitor": "val_loss", "mode": "min", "top_k": 2}
    with run:
        for epoch in range(start_epoch, start_epoch + int(config["epochs"])):
            order = rng.permutation(len(x))
            for start in range(0, len(x) - int(config["batch"]) + 1, int(config["batch"])):
                batch = order[start:start + int(config["batch"])]
                h, p = forward(weights, x[batch])
                error = (p - y[batch])[:, None] / len(batch)
                grads = {"w2": h.T @ error, "b2": error.sum(0)}
                back = (error @ weights["w2"].T) * (1 - h ** 2)
                grads["w1"] = x[batch].T @ back
                grads["b1"] = back.sum(0)
                for key in weights:
                    weights[key] -= config["lr"] * grads[key]
                loss = -np.mean(y[batch] * np.log(p + 1e-9) + (1 - y[batch]) * np.log(1 - p + 1e-9))
                run.log({"loss": float(loss)}, step=step)
                step += 1
            _, p_val = forward(weights, x_val)
            val_loss = float(-np.mean(y_val * np.log(p_val + 1e-9) + (1 - y_val) * np.log(1 - p_val + 1e-9)))
            accuracy = float(np.mean((p_val > 0.5) == y_val))
            run.log({"loss": val_loss, "accuracy": accuracy}, step=step, split="eval")
            with run.checkpoint(epoch=epoch, step=step, metrics={"val_loss": val_loss}, suffix=".npz", policy=policy) as path:
                with open(path, "wb") as f:
                    np.savez(f, **weights)
            print(f"epoch {epoch}: val_loss {val_loss:.4f}, accuracy {accuracy:.3f}", flush=True)
        best = run.wait() and run.best()
        print(f"best checkpoint: epoch {best['epoch']} ({best['path']})" if best else "no best checkpoint")


if __name__ == "__main__":
    main()
