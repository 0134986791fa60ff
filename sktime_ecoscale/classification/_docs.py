"""Parameter documentation shared by the deep classifiers (written once, used twice)."""

TRAINING_PARAMETERS = """max_epochs : int, default=60
        Maximum number of passes over the training data.
    batch_size : int, default=32
        Series per training batch.
    lr : float, default=3e-3
        Peak learning rate.
    optimizer : {"adamw", "adam", "sgd", "rmsprop"}, default="adamw"
        Optimiser.
    weight_decay : float, default=1e-2
        Weight decay (decoupled for AdamW).
    lr_schedule : {"onecycle", "cosine", "constant"}, default="onecycle"
        Learning-rate schedule over ``max_epochs``, set at every batch.
    valid_size : float in [0, 1), default=0.1
        Fraction of the training data held out (stratified when possible) for
        early stopping. ``0`` trains on everything for ``max_epochs``.
    patience : int or None, default=15
        Epochs without a better validation loss before training stops; the
        best weights are restored. ``None`` disables early stopping.
    class_weight : None, "balanced" or dict, default=None
        Class weights in the loss; for 0/1 outputs, "balanced" sets
        ``pos_weight = negatives / positives``.
    augment : bool or dict, default=True
        Training augmentation (random shift, amplitude scaling, noise, lead
        dropout); a dict overrides fields of
        :class:`~sktime_ecoscale.classification.Augmenter`.
    label_smoothing : float, default=0.0
        Label smoothing of the cross-entropy heads.
    device : {"auto", "cpu", "cuda", "cuda:N"}, default="auto"
        Where to train and predict; "auto" takes CUDA when available.
    predict_batch_size : int, default=256
        Series per inference batch; bounds memory at predict time.
    random_state : int or None, default=None
        Seed of weights, split, shuffling and augmentation. With an int, fits
        on CPU give bit-identical probabilities.
    verbose : int, default=0
        0 silent, 1 an epoch table, 2 also a progress bar.
    callbacks : list of skorch callbacks or (name, callback) pairs, optional
        Extra skorch callbacks; they are copied, never mutated."""

FITTED_ATTRIBUTES = """classes_ : np.ndarray
        Class labels (for multi-output ``y``, the union of all columns' labels).
    n_classes_ : int
        Number of classes.
    net_ : skorch.NeuralNet
        The trained skorch net; ``net_.module_`` is the PyTorch network.
    history_ : skorch.History
        Per-epoch training record (train_loss, valid_loss, dur, ...).
    n_channels_ : int
        Channels seen in fit.
    seq_len_ : int
        Length the training series were padded to."""
