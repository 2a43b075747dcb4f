"""The developers' corner of the tagger: train its model and measure it on labelled data
(`carebot train`, `carebot eval`). Needs scikit-learn and ../shared/data; nothing that runs
in production imports it."""
