"""Parameter documentation shared by the deep classifiers (written once, used twice)."""

TRAINING_PARAMETERS = """max_epochs : int or "auto", default="auto"
        Maximum number of passes over the training data. "auto" (and every
        other "auto" below) resolves at fit time through
        :func:`~sktime_ecoscale.classification.training_budget` from the
        number of series, channels and the length: at least 2,000 optimiser
        steps (at most 60 epochs where the strong augmentation of multi-lead
        recordings applies) and at least 20 epochs. The resolved values are in
        ``budget_``.
    batch_size : int or "auto", default="auto"
        Series per training batch; "auto" is 8 to 32, a quarter of the series
        rounded down to a power of two.
    lr : float, default=3e-3
        Peak learning rate.
    optimizer : {"adamw", "adam", "sgd", "rmsprop"}, default="adamw"
        Optimiser.
    weight_decay : float, default=1e-2
        Weight decay (decoupled for AdamW).
    optimizer_kwargs : dict or None, default=None
        Further keyword arguments of the optimiser, e.g. ``{"betas": (0.9,
        0.99)}`` or ``{"momentum": 0.9}`` for SGD (passed to skorch as
        ``optimizer__<key>``); ``weight_decay`` and ``lr`` have their own
        parameters.
    lr_schedule : {"onecycle", "cosine", "constant"}, default="onecycle"
        Learning-rate schedule over ``max_epochs``, set at every batch.
    valid_size : float in [0, 1), default=0.0
        Fraction of the training data held out (stratified when possible) for
        validation and early stopping, by one rule in ``fit``, ``fit_dataset``
        (unless it is given ``valid_dataset``) and ``ecoscale train``. The
        default ``0`` trains on everything for ``max_epochs``: on a few
        hundred ECGs a held-out tenth is both missed in training and too small
        to stop on reliably. On large data sets, ``valid_size=0.05`` with
        early stopping saves epochs.
    patience : int or None, default=10
        With ``valid_size > 0``: epochs without a better validation loss
        before training stops; the best weights are restored. Validation runs
        with batch-norm statistics re-estimated on clean training series, so
        augmentation does not distort it. ``None`` disables early stopping.
    class_weight : None, "balanced" or dict, default=None
        Class weights in the loss; for 0/1 outputs, "balanced" sets
        ``pos_weight = negatives / positives``.
    decision_threshold : None, "f1", "fbeta", float or dict, default=None
        How ``predict`` turns probabilities into labels (``predict_proba`` is
        unchanged). ``None``: argmax (0.5 on 0/1 outputs). ``"f1"`` /
        ``"fbeta"``: one threshold per class or label, tuned in ``fit`` to
        maximise its F1 / F2 on data the network did not train on (the
        validation split if ``valid_size > 0``, else out-of-fold
        probabilities of 3 extra fits, which triples the training time). A
        float in (0, 1): the threshold of every 0/1 output or of the
        positive (second) class; a dict ``{label or class: threshold}`` sets
        some (the rest stay at 0.5, or at ``1 / n_classes`` for a
        multi-class ``y``, whose decision is ``argmax p_c / t_c``). The
        fitted values are ``decision_thresholds_``, saved with the model.
    calibration : None or "temperature", default=None
        ``"temperature"``: one temperature per output head fitted by log loss
        on held-out predictions (the validation split, else out-of-fold fits,
        the data the tuned thresholds use), dividing the logits in
        ``predict_proba`` and ``predict``. Softens over-confident
        probabilities (lower expected calibration error); the ranking of a
        0/1 label and a multi-class argmax do not change. Fitted values are
        ``temperatures_``, saved with the model and beside ONNX exports.
    augment : bool, dict or "auto", default="auto"
        Training augmentation (random shift, amplitude scaling, noise, lead
        dropout); a dict overrides fields of
        :class:`~sktime_ecoscale.classification.Augmenter`. "auto" turns the
        full set on for multi-lead, long recordings (at least 8 channels and
        500 points, e.g. 12-lead ECGs), random 90 % windows with +-10 %
        amplitude for other series of 64 to 499 points, and nothing for
        shorter ones or for longer series of fewer than 8 channels (see
        :func:`~sktime_ecoscale.classification.training_budget`). With
        augmentation the batch-norm statistics are re-estimated on clean
        training series at the end of fit.
    label_smoothing : float or "auto", default="auto"
        Label smoothing of the cross-entropy heads ("auto": 0, or 0.1 with
        augmentation; see :func:`~sktime_ecoscale.classification.training_budget`).
    input_scaling : {"channel", "series"}, default="channel"
        The input rule, applied alike in fit, predict and ``fit_dataset``
        (:class:`~sktime_ecoscale.utils.InputScaling`): "channel"
        scales each channel by its mean and standard deviation over the
        raw training series, padding excluded (amplitude differences between
        series survive); "series" standardises each lead of each series on
        its own. Series are scaled first, then zero-padded at the end
        (:func:`~sktime_ecoscale.utils.prepare_series`).
    device : {"auto", "cpu", "cuda", "cuda:N"}, default="auto"
        Where to train and predict; "auto" takes CUDA when available.
    predict_batch_size : int, default=64
        Series per inference batch; bounds memory at predict time.
    random_state : int or None, default=None
        Seed of weights, split, shuffling and augmentation. With an int, fits
        on CPU give bit-identical probabilities, in one process or across
        processes (same machine, library versions and thread count). On GPU,
        cuDNN picks convolution algorithms at run time and some backward
        kernels use atomic additions, so results may differ in the last bits;
        for reproducible GPU runs set ``torch.backends.cudnn.benchmark = False``
        and ``torch.use_deterministic_algorithms(True)`` (with
        ``CUBLAS_WORKSPACE_CONFIG=:4096:8``), at some cost in speed.
    verbose : int, default=0
        0 silent, 1 an epoch table, 2 also a progress bar.
    callbacks : list of skorch callbacks or (name, callback) pairs, optional
        Extra skorch callbacks; they are copied, never mutated.
    checkpoint_dir : str or path-like, optional
        Folder for resumable training. After every epoch the full training
        state (weights, optimiser, history, early stopping, random generators)
        is written there atomically; a later ``fit`` with the same
        hyperparameters and data resumes after the last saved epoch and, on
        CPU, ends with the same weights as an uninterrupted run. A checkpoint
        written with other settings or data is refused with a ``ValueError``.
        ``None`` (default) writes nothing.
    distributed : bool, default=False
        Data-parallel training over the processes of a ``torchrun`` or
        ``accelerate launch`` job, through Hugging Face Accelerate (DDP; gloo
        on CPU, NCCL on GPU). Each process reads only its own batches of
        ``batch_size`` series, so one optimiser step sees ``batch_size x
        number of processes`` series: divide ``batch_size`` by the number of
        processes to keep a single-process run's effective batch. Only rank
        0 writes checkpoints; write the final model on rank 0 only
        (:func:`~sktime_ecoscale.classification.is_main_process`). See
        ``docs/distributed.md``.
    mixed_precision : {"no", "bf16", "fp16"}, default="no"
        Autocast precision of training on GPU (through Accelerate, also
        without ``distributed``); on CPU training runs in float32 with a
        warning. Inference always runs in float32.
    init_model : None, str, Path or fitted estimator, default=None
        Fine-tuning: start from the backbone of a trained model of the same
        class (the folder or ``.zip`` of a saved model, ``"pretrained:NAME"``
        for a starter model shipped with the package, or a fitted estimator;
        in grid searches pass a path or name, since cloning drops a fitted
        estimator's weights). The new network takes the source's widths,
        strides, kernels and ensemble size, copies every weight but the head,
        and gets a new head for the new labels (any number, multi-class or
        multi-label). Leads map by name when both models name them
        (``leads``); a lead the source never saw starts from the mean of its
        first-layer filters. The budget, input scaling and labels are fitted
        on the new data as usual.
    freeze_epochs : int, default=0
        With ``init_model``: epochs at the start during which only the head
        trains (skorch's ``Freezer``/``Unfreezer``).
    backbone_lr_scale : float, default=1.0
        With ``init_model``: the backbone's learning rate as a fraction of
        ``lr`` (the head trains at ``lr``), through the whole schedule.
    leads : list of str, optional
        Names of the input channels in order (e.g. ``["I", "II", "V1"]``);
        default: the column names of a pandas panel, if they are strings.
        Fitted as ``leads_`` and saved with the model. ``predict`` on a
        pandas panel with named columns then takes any subset of these leads
        in any order: a lead it lacks is a missing lead (filled by the input
        rule as the training augmentation drops leads), a lead the model never
        saw is an error. Fine-tuning maps leads by these names.
    fs : float, optional
        Sampling rate of the training series in Hz; default: the step of a
        pandas panel's time index (``TimedeltaIndex`` or ``DatetimeIndex``),
        or that of a data set (``fit_dataset``). Fitted as ``fs_`` and saved
        with the model. ``predict`` on a panel with a time index at another
        rate resamples it to ``fs_`` (polyphase, the ``Resample`` rule); a
        panel without one is assumed to be at ``fs_``, with a warning."""

FITTED_ATTRIBUTES = """budget_ : TrainingBudget
        The training budget this fit used: every "auto" parameter resolved
        (batch size, epochs, widths, dropout, augmentation, label smoothing).
    input_scaling_ : InputScaling
        The fitted input rule (its per-channel statistics for "channel").
    classes_ : np.ndarray
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
        Length the training series were padded to.
    decision_thresholds_ : pd.Series or None
        Fitted thresholds of ``decision_threshold`` (None: argmax / 0.5).
    temperatures_ : list of float or None
        Fitted temperatures of ``calibration``, one per output head (None: uncalibrated).
    leads_ : list of str or None
        The lead names of ``leads`` or of the training panel's columns.
    lead_set_norms_ : dict
        Batch-norm statistics and (from 100 training series on) a refitted
        linear head of each reduced lead set of the PhysioNet/CinC Challenge 2021 (6, 4, 3, 2 leads) that
        ``leads_`` contains, estimated on the training series with the other
        leads missing; ``predict`` serves a series holding exactly such a set
        with them (empty without lead names). Saved with the model.
    fs_ : float or None
        The training sampling rate (``fs`` or the data's time index), in Hz.
    network_overrides_ : dict
        Network arguments taken from ``init_model`` when fine-tuning (else empty)."""

MODEL_FILES_NOTE = """Save a fitted model with ``save_model(path)`` and read it back with
    ``load_model(path)``: safetensors weights plus a JSON configuration, checked
    on load (format version, SHA-256 of the weights, tensor shapes) and never
    unpickled, so files from others are safe to open. sktime's inherited
    ``save``/``load_from_path`` use pickle, which can run arbitrary code when
    loading: use them for files you wrote yourself or otherwise trust."""
