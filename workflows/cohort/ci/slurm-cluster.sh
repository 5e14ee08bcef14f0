#!/usr/bin/env bash
# A throw-away one-node Slurm cluster on localhost for CI: munged, slurmctld
# and slurmd with every key, socket, state and log file under one folder, so
# nothing of the machine's own /etc/munge or /etc/slurm is used or changed.
#
#   bash slurm-cluster.sh start DIR   write DIR/slurm.conf, start the daemons,
#                                     wait until the node is idle
#   bash slurm-cluster.sh stop DIR    stop the daemons started in DIR (by the
#                                     pids in DIR's pid files, nothing else)
#
# Clients (sbatch, srun, squeue, scontrol, snakemake --slurm) find the cluster
# through SLURM_CONF=DIR/slurm.conf. Needs Debian's slurm-wlm and munge; runs
# as root (slurmd must be able to start jobs as any user).
set -euo pipefail

usage() {
    echo "usage: $0 start|stop DIR" >&2
    exit 2
}
[ $# -eq 2 ] || usage
action=$1
dir=$(realpath -m "$2")

# Ports a second cluster on the same host would not share by accident.
CTLD_PORT=${OMREG_SLURMCTLD_PORT:-6917}
SLURMD_PORT=${OMREG_SLURMD_PORT:-6918}

log() { printf 'slurm-cluster: %s\n' "$*" >&2; }

# pid_alive PIDFILE: the pid recorded in PIDFILE still runs.
pid_alive() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

stop_daemon() {
    local name=$1 pidfile=$2 pid
    pid_alive "$pidfile" || return 0
    pid=$(cat "$pidfile")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.2
    done
    log "$name (pid $pid) ignored SIGTERM for 10 s; sending SIGKILL"
    kill -9 "$pid" 2>/dev/null || true
}

stop() {
    stop_daemon slurmd "$dir/run/slurmd.pid"
    stop_daemon slurmctld "$dir/run/slurmctld.pid"
    stop_daemon munged "$dir/run/munged.pid"
}

write_conf() {
    # slurmd -C reports this host's CPUs and memory; a node configured with
    # more than it has is drained ("Low RealMemory"), so take its figures.
    local hw cpus mem
    hw=$(slurmd -C | head -n1)
    cpus=$(sed -n 's/.* CPUs=\([0-9]*\).*/\1/p' <<<"$hw")
    mem=$(sed -n 's/.* RealMemory=\([0-9]*\).*/\1/p' <<<"$hw")
    if [ -z "$cpus" ] || [ -z "$mem" ]; then
        log "cannot read 'slurmd -C': $hw"
        return 1
    fi
    cat >"$dir/slurm.conf" <<CONF
# Written by workflows/cohort/ci/slurm-cluster.sh: one node on localhost.
ClusterName=omregci
SlurmctldHost=localhost
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/run/munge.socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/run/slurmctld.pid
SlurmdPidFile=$dir/run/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
# No cgroups: processes tracked through /proc, tasks not bound.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SwitchType=switch/none
SchedulerType=sched/backfill
# cores and memory are the consumable resources, so --mem and
# --cpus-per-task requests are enforced at scheduling time
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
ReturnToService=2
# finished jobs stay visible to 'scontrol show job' (Snakemake's status
# fallback when there is no accounting database) for 10 minutes
MinJobAge=600
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=ci Nodes=localhost Default=YES MaxTime=60 State=UP
CONF
}

start() {
    mkdir -p "$dir"/{run,state,spool,log}
    chmod 700 "$dir" "$dir/run"
    # a fresh key for this cluster only
    dd if=/dev/urandom of="$dir/run/munge.key" bs=1024 count=1 status=none
    chmod 400 "$dir/run/munge.key"
    munged --force --key-file="$dir/run/munge.key" --socket="$dir/run/munge.socket" \
        --pid-file="$dir/run/munged.pid" --log-file="$dir/log/munged.log" \
        --seed-file="$dir/run/munged.seed" ||
        { log "munged did not start: $(tail -n3 "$dir/log/munged.log" 2>/dev/null)"; return 1; }
    write_conf
    export SLURM_CONF=$dir/slurm.conf
    # -i: ignore any saved state (the folder is new anyway)
    slurmctld -i -f "$SLURM_CONF" ||
        { log "slurmctld did not start: $(tail -n5 "$dir/log/slurmctld.log" 2>/dev/null)"; return 1; }
    slurmd -N localhost -f "$SLURM_CONF" ||
        { log "slurmd did not start: $(tail -n5 "$dir/log/slurmd.log" 2>/dev/null)"; return 1; }
    local state=
    for _ in $(seq 60); do
        state=$(sinfo -h -N -n localhost -o %T 2>/dev/null || true)
        [ "$state" = idle ] && { log "node localhost idle (SLURM_CONF=$SLURM_CONF)"; return 0; }
        sleep 0.5
    done
    log "node localhost is '$state' after 30 s, not idle"
    tail -n 20 "$dir/log/slurmctld.log" "$dir/log/slurmd.log" >&2 || true
    return 1
}

case $action in
start)
    if ! start; then
        stop
        exit 1
    fi
    ;;
stop) stop ;;
*) usage ;;
esac
