"""Cairn for training frameworks, each imported only when asked for:

    from cairn.integrations.lightning import CairnCheckpoint, CairnLogger     # PyTorch Lightning
    from cairn.integrations.transformers import CairnTrainerCallback          # Hugging Face Trainer
"""
