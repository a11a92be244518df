#!/bin/sh
test_description='the logdive(7) recipe: shards over ssh with GNU parallel, merged'
. "$(dirname "$0")/test-lib.sh"

# A real sshd on 127.0.0.1, at a free local port, with key login only,
# stands in for the hosts of the recipe; GNU parallel runs the shards on
# it through --sshlogin.  Nothing but 127.0.0.1 is ever contacted.

SSHD=$(command -v sshd 2>/dev/null || echo /usr/sbin/sshd)
for t in ssh ssh-keygen parallel; do
	if ! command -v $t >/dev/null 2>&1; then
		test_skip 'shards over ssh' "$t is not installed"
		test_done
	fi
done
if ! [ -x "$SSHD" ]; then
	test_skip 'shards over ssh' 'sshd (openssh-server) is not installed'
	test_done
fi

# sshd wants its privilege separation directory when run as root.
if [ "$(id -u)" = 0 ] && ! [ -d /run/sshd ]; then
	mkdir -p /run/sshd 2>/dev/null && chmod 755 /run/sshd
fi

ssh-keygen -q -t ed25519 -N "" -f hostkey >/dev/null &&
ssh-keygen -q -t ed25519 -N "" -f userkey >/dev/null &&
cp userkey.pub authorized_keys && chmod 600 authorized_keys || {
	test_skip 'shards over ssh' 'ssh-keygen failed'
	test_done
}

# Try a few ports from one drawn from the process id; keep the first at
# which sshd starts.
port=$((20000 + $$ % 20000))
started=
for try in 0 1 2 3 4 5 6 7; do
	p=$((port + try * 97))
	cat >sshd_config <<-EOF
	Port $p
	ListenAddress 127.0.0.1
	HostKey $TRASH_DIRECTORY/hostkey
	AuthorizedKeysFile $TRASH_DIRECTORY/authorized_keys
	PidFile $TRASH_DIRECTORY/sshd.pid
	PasswordAuthentication no
	KbdInteractiveAuthentication no
	PubkeyAuthentication yes
	PermitRootLogin prohibit-password
	StrictModes no
	UsePAM no
	AcceptEnv LD_*
	EOF
	"$SSHD" -f "$TRASH_DIRECTORY/sshd_config" -D -e 2>sshd.log &
	pid=$!
	i=0
	while [ $i -lt 50 ]; do
		grep -q "Server listening" sshd.log 2>/dev/null && break
		kill -0 $pid 2>/dev/null || break
		sleep 0.1
		i=$((i + 1))
	done
	if grep -q "Server listening" sshd.log; then
		started=$p
		break
	fi
	kill $pid 2>/dev/null
	wait $pid 2>/dev/null
done
if [ -z "$started" ]; then
	test_skip 'shards over ssh' "sshd did not start: $(tail -n 1 sshd.log)"
	test_done
fi
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; cd /; rm -rf "$TRASH_DIRECTORY"' EXIT

cat >ssh_config <<EOF
Host h1 h2
	HostName 127.0.0.1
	Port $started
	User $(id -un)
	IdentityFile $TRASH_DIRECTORY/userkey
	IdentitiesOnly yes
	BatchMode yes
	StrictHostKeyChecking no
	UserKnownHostsFile $TRASH_DIRECTORY/known_hosts
	LogLevel ERROR
EOF
SSH="ssh -F $TRASH_DIRECTORY/ssh_config"

test_expect_success 'key login to 127.0.0.1 works' '
	$SSH h1 echo hello >out &&
	echo hello >expect && test_cmp expect out
'

test_expect_success 'a corpus and the answer of one run' '
	ldgen -o corpus >/dev/null &&
	(cd corpus && ldgrep --scope request.json archive 2>/dev/null |
	    ldtimeline >../single.tl 2>/dev/null) &&
	test -s single.tl
'

# The remote side finds the tools and the corpus where this machine has
# them: in the recipe, a shared or copied archive and installed tools.
remote="cd $TRASH_DIRECTORY/corpus && export PATH=$LD_BUILD/bin:\$PATH LD_FORMATS=$LD_FORMATS &&"

test_expect_success 'parallel --sshlogin: 8 shards on two hosts, merged exactly' '
	# A shard without events makes ldtimeline exit 1, and parallel count
	# it as failed: the files and their merge are what is checked.
	parallel --ssh "$SSH" -S 2/h1,2/h2 --files \
	    "$remote ldgrep --shard {}/8 --scope request.json archive 2>/dev/null | ldtimeline" \
	    ::: 1 2 3 4 5 6 7 8 >files
	test_line_count = 8 files &&
	xargs ldtimeline --merge <files >merged &&
	test_cmp single.tl merged &&
	xargs rm -f <files
'

test_expect_success 'with --keep-order the raw shards concatenate to one run' '
	(cd corpus && ldgrep --ns acme-corp archive >../single.out 2>/dev/null;
	 test $? -le 2) &&
	parallel --ssh "$SSH" -S 2/h1,2/h2 --keep-order \
	    "$remote ldgrep --shard {}/5 --ns acme-corp archive 2>/dev/null; true" \
	    ::: 1 2 3 4 5 >cat.out &&
	test_cmp single.out cat.out
'

test_expect_success 'the shards ran on the ssh hosts' '
	grep -c "Accepted publickey" sshd.log >n &&
	test "$(cat n)" -ge 2
'

test_done
