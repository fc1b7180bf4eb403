#!/usr/bin/env bash
# End-to-end check of `--shard auto` and `maxp-diagnose slurm-script` against a real SLURM: starts a one-node cluster
# on localhost (munged, slurmctld, slurmd with a minimal slurm.conf in a temporary folder), submits a 4-task job array
# of a small coord check plus its dependent merge job, and checks that the merged coord_data.csv and slopes.json are
# byte-identical to an unsharded run. Exits non-zero on any failure. Needs Debian's slurm-wlm and munge (installed
# when missing) and root (to start the daemons). Run from anywhere: scripts/slurm-test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
TIMEOUT=${SLURM_TEST_TIMEOUT:-150}

SUDO=""; if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends slurm-wlm munge
fi

swift build -c release --product maxp-diagnose >/dev/null
BIN="$ROOT/.build/release/maxp-diagnose"

WORK=$(mktemp -d /tmp/maxp-slurm-test.XXXXXX)
chmod 755 "$WORK"
NODE=$(hostname -s)
CPUS=$(nproc)
export SLURM_CONF="$WORK/slurm.conf"
export OPENBLAS_NUM_THREADS=1

cleanup() {
    status=$?
    for pidfile in "$WORK/slurmd.pid" "$WORK/slurmctld.pid" "$WORK/munged.pid"; do
        if [ -s "$pidfile" ]; then $SUDO kill "$(cat "$pidfile")" 2>/dev/null || true; fi
    done
    sleep 1
    if [ $status -ne 0 ]; then
        echo "slurm-test: FAILED; daemon and job logs:" >&2
        tail -n 20 "$WORK"/*.log "$WORK"/array/logs/* 2>/dev/null >&2 || true
    fi
    $SUDO rm -rf "$WORK"
    exit $status
}
trap cleanup EXIT

# munge: a private socket, key, state and pid file, so a system munged (if any) is left alone.
mkdir -p "$WORK/munge"
$SUDO dd if=/dev/urandom of="$WORK/munge/munge.key" bs=1024 count=1 status=none
$SUDO chmod 700 "$WORK/munge"; $SUDO chmod 400 "$WORK/munge/munge.key"
MUNGE_SOCKET="$WORK/munge/munge.socket"
$SUDO munged --force --key-file="$WORK/munge/munge.key" --socket="$MUNGE_SOCKET" \
    --pid-file="$WORK/munged.pid" --log-file="$WORK/munged.log" --seed-file="$WORK/munge/munge.seed"

mkdir -p "$WORK/state" "$WORK/spool"
cat > "$SLURM_CONF" <<EOF
ClusterName=maxp-test
SlurmctldHost=$NODE(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=16817
SlurmdPort=16818
AuthType=auth/munge
AuthInfo=socket=$MUNGE_SOCKET
CredType=cred/munge
StateSaveLocation=$WORK/state
SlurmdSpoolDir=$WORK/spool
SlurmctldPidFile=$WORK/slurmctld.pid
SlurmdPidFile=$WORK/slurmd.pid
SlurmctldLogFile=$WORK/slurmctld.log
SlurmdLogFile=$WORK/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
SchedulerParameters=sched_interval=1
MinJobAge=600
NodeName=$NODE NodeAddr=127.0.0.1 CPUs=$CPUS State=UNKNOWN
PartitionName=test Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
EOF
$SUDO env SLURM_CONF="$SLURM_CONF" slurmctld -i
$SUDO env SLURM_CONF="$SLURM_CONF" slurmd
for _ in $(seq 1 30); do
    if sinfo -h -N -o '%T' 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; then break; fi
    sleep 1
done
sinfo -h -N -o '%N %T' | grep -qE 'idle|mixed|allocated' || { echo "slurm-test: node never came up" >&2; exit 1; }

SWEEP=(--model mlp --input-dim 16 --depth 2 --output-dim 4 --batch 8 --widths 32,64,128,256 --seeds 2 --steps 2
       --format svg --quiet)

cd "$WORK"
"$BIN" coord-check "${SWEEP[@]}" --out "$WORK/unsharded" >/dev/null
"$BIN" slurm-script --tasks 4 --out "$WORK/array" -- "${SWEEP[@]}" >/dev/null
submitted=$(sh "$WORK/array/submit.sh")
echo "slurm-test: $submitted"
merge=$(echo "$submitted" | sed -n 's/.*merge job \([0-9]*\).*/\1/p')
[ -n "$merge" ] || { echo "slurm-test: could not read the merge job id" >&2; exit 1; }

state=""
for _ in $(seq 1 "$TIMEOUT"); do
    state=$(scontrol show job "$merge" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p')
    case "$state" in
        COMPLETED|FAILED|CANCELLED|TIMEOUT|NODE_FAIL|OUT_OF_MEMORY) break ;;
    esac
    if scontrol show job "$merge" 2>/dev/null | grep -q 'Reason=DependencyNeverSatisfied'; then
        state=DEPENDENCY_NEVER_SATISFIED; break
    fi
    sleep 1
done
[ "$state" = COMPLETED ] || { echo "slurm-test: merge job $merge ended as '${state:-unknown}'" >&2; exit 1; }

for task in 1 2 3 4; do
    rows=$(($(wc -l < "$WORK/array/shard-$task/coord_data.csv") - 1))
    [ "$rows" -gt 0 ] || { echo "slurm-test: shard $task is empty" >&2; exit 1; }
done
for file in coord_data.csv slopes.json; do
    cmp "$WORK/unsharded/$file" "$WORK/array/merged/$file" || {
        echo "slurm-test: merged $file differs from the unsharded run" >&2; exit 1; }
done
echo "slurm-test: OK — 4-task array + afterok merge on a one-node SLURM; coord_data.csv and slopes.json identical to the unsharded run"
