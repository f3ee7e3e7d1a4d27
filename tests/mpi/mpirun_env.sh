# Sourced by the MPI test scripts: how they start mpirun on one machine.
# --oversubscribe: more ranks than cores (CI machines have 2); --bind-to none:
# oversubscribed ranks must not share one core. Root (containers) needs Open
# MPI's explicit consent; the single-copy mechanism (CMA) is often not
# permitted in containers, and the exchanges are small anyway.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_btl_vader_single_copy_mechanism=none
MPIRUN_ARGS=(--oversubscribe --bind-to none)
