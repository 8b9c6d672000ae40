from . import cs_training_report
