#!/bin/sh
# t0900-ldgen: the test-data generator is deterministic, writes every kind of
# container readable by stock tools, and its answer key is what the canonical
# field rules give on the raw bytes it wrote.

test_description='ldgen writes a reproducible corpus and a correct answer key'
. "$(dirname "$0")/test-lib.sh"

# scope.pl applies the canonical field rules of the format definitions to
# the decompressed corpus.  It is written from the rules, independently of
# ldgen's C code.
#   scope.pl scan DIR REQUEST	the lines in the request's scope, as
#				src, line, family, event, ms (tab-separated)
#   scope.pl key ANSWERS		the answer key in the same form
#   scope.pl lines DIR		the canonical fields of every line
#   scope.pl truth TRUTH		the same from truth.jsonl
#   scope.pl probe TRUTH REQUEST	which edge cases and decoys truth holds
cat >scope.pl <<'EOF'
use strict;
use warnings;
use File::Find;
use JSON::PP;
use Time::Local qw(timegm);

my $json = JSON::PP->new->allow_nonref;	# bytes in, bytes out
my %skip = map { $_ => 1 } qw(- api users admin help assets oauth dashboard
    explore search uploads import profile);
my %mon = (Jan => 0, Feb => 1, Mar => 2, Apr => 3, May => 4, Jun => 5,
    Jul => 6, Aug => 7, Sep => 8, Oct => 9, Nov => 10, Dec => 11);

sub iso {
	my ($s) = @_;
	return undef unless defined $s && !ref $s;
	my @f = $s =~ /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d+))?(Z|[+-]\d\d:?\d\d)$/
	    or return undef;
	my $ms = timegm($f[5], $f[4], $f[3], $f[2], $f[1] - 1, $f[0]) * 1000;
	$ms += substr(($f[6] // '') . '000', 0, 3);
	if ($f[7] =~ /([+-])(\d\d):?(\d\d)/) {
		$ms -= ($1 eq '+' ? 1 : -1) * ($2 * 60 + $3) * 60000;
	}
	return $ms;
}

sub clf {
	my @f = $_[0] =~ m{^(\d\d)/(\w{3})/(\d{4}):(\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d)$}
	    or return undef;
	my $ms = timegm($f[5], $f[4], $f[3], $f[0], $mon{$f[1]}, $f[2]) * 1000;
	return $ms - ($f[6] eq '+' ? 1 : -1) * ($f[7] * 60 + $f[8]) * 60000;
}

sub seg1 {
	my ($s) = @_;
	return undef unless defined $s && !ref $s;
	$s =~ s{/.*}{}s;
	return $s;
}

sub url_ns {
	my ($p) = @_;
	return undef unless defined $p;
	$p =~ s/\?.*//s;
	if ($p =~ m{^/api/v4/(?:projects|groups)/([^/]+)}) {
		my $x = $1;
		$x =~ s/%([0-9A-Fa-f]{2})/chr hex $1/ge;
		return $x =~ /^\d+$/ ? undef : seg1($x);
	}
	return $p =~ m{^/([^/]+)} && !$skip{$1} ? $1 : undef;
}

sub family {
	local $_ = $_[0];
	return m{production_json\.log$} ? 'rails' : m{api_json\.log$} ? 'api' :
	    m{audit_json\.log$} ? 'audit' : m{auth_json\.log$} ? 'auth' :
	    m{sidekiq/current$} ? 'sidekiq' : m{gitlab-shell\.log$} ? 'shell' :
	    m{gitaly/current$} ? 'gitaly' : m{gitlab_access\.log(\.gz)?$} ? 'nginx' :
	    m{audit-events\.jsonl(\.zst)?$} ? 'audit_stream' :
	    m{application_json\.log$} ? 'application' :
	    m{workhorse/current$} ? 'workhorse' : undef;
}

# The canonical fields of a line, by the rules of its family, as a list in
# the order of @F; the empty list for a line that does not parse.
my @F = qw(ts ns project user user_id ip event cid);
sub fields {
	my ($fam, $l) = @_;
	my %f;
	if ($fam eq 'nginx') {
		my @m = $l =~ m{^(\S+) \S+ (\S+) \[([^\]]+)\] "(\S+) (\S+) [^"]*"} or return;
		%f = (ts => clf($m[2]), ns => url_ns($m[4]), ip => $m[0],
		    user => $m[1] eq '-' ? undef : $m[1], event => $m[3]);
		return @f{@F};
	}
	my $o = eval { $json->decode($l) };
	return unless ref $o eq 'HASH';
	%f = (ts => iso($o->{time}), ip => $o->{remote_ip}, cid => $o->{correlation_id});
	if ($fam eq 'rails' || $fam eq 'api') {
		@f{qw(ns project user user_id event)} = (
		    $o->{'meta.root_namespace'} // seg1($o->{'meta.project'}),
		    $o->{'meta.project'}, $o->{'meta.user'} // $o->{username}, $o->{user_id},
		    $fam eq 'api' ? $o->{route} : "$o->{controller}#$o->{action}");
	} elsif ($fam eq 'audit' || $fam eq 'audit_stream') {
		@f{qw(ns project user user_id ip event)} = (
		    seg1($o->{entity_path}) // seg1($o->{target_details}), $o->{entity_path},
		    $o->{author_name}, $o->{author_id}, $o->{ip_address},
		    $o->{event_name} // $o->{change} // $o->{event_type});
		$f{ts} = iso($o->{created_at}) if $fam eq 'audit_stream';
	} elsif ($fam eq 'auth') {
		@f{qw(ns user user_id event)} = (url_ns($o->{path}), $o->{'meta.user'},
		    $o->{user_id}, "$o->{message}:$o->{env}");
	} elsif ($fam eq 'application') {
		$f{user} = $o->{'meta.user'};
	} elsif ($fam eq 'sidekiq') {
		@f{qw(ns project user event)} = ($o->{'meta.root_namespace'},
		    $o->{'meta.project'}, $o->{'meta.user'}, $o->{class});
	} elsif ($fam eq 'shell' || $fam eq 'gitaly') {
		my $p = $o->{gl_project_path} // $o->{'grpc.request.glProjectPath'};
		@f{qw(ns project user user_id event)} = (seg1($p), $p, $o->{username},
		    $o->{user_id}, $o->{command} // $o->{'grpc.method'});
	} elsif ($fam eq 'workhorse') {
		@f{qw(ns event)} = (url_ns($o->{uri}), $o->{msg});
	}
	return @f{@F};
}

# Every line of every file under $dir, as (src, line number, bytes).
sub each_line {
	my ($dir, $cb) = @_;
	my @files;
	find({ no_chdir => 1, wanted => sub { push @files, $_ if -f } }, $dir);
	for my $path (sort @files) {
		(my $src = substr($path, length($dir) + 1)) =~ s{\.tar\.zst/}{.tar.zst!};
		next if $src =~ m{web-03\.tar\.zst!.*workhorse};	# cut short
		my $fam = family($src) or die "$src: unknown family\n";
		open my $fh, '<:raw', $path or die "$path: $!";
		while (my $l = <$fh>) {
			$l =~ s/\r?\n$//;
			$cb->($src, $., $fam, $l);
		}
	}
}

sub row {
	my ($src, $line, @f) = @_;
	return join("\t", $src, $line, @f ? map { $_ // '-' } @f : 'malformed') . "\n";
}

my $mode = shift;
if ($mode eq 'key') {
	open my $fh, '<', $ARGV[0] or die "$ARGV[0]: $!";
	while (<$fh>) {
		my $a = $json->decode($_);
		print join("\t", $a->{src}, $a->{line}, $a->{family},
		    $a->{event} // '', iso($a->{ts})), "\n";
	}
} elsif ($mode eq 'truth') {
	open my $fh, '<', $ARGV[0] or die "$ARGV[0]: $!";
	while (<$fh>) {
		my $t = $json->decode($_);
		next if $t->{src} =~ m{web-03\.tar\.zst!.*workhorse};
		print row($t->{src}, $t->{line}, $t->{malformed} ? () :
		    (iso($t->{ts}), @$t{@F[1 .. $#F]}));
	}
} elsif ($mode eq 'lines') {
	each_line($ARGV[0], sub { print row(@_[0, 1], fields(@_[2, 3])) });
} elsif ($mode eq 'probe') {
	my ($truth, $reqfile) = @ARGV;
	my $req = do { local $/; open my $fh, '<', $reqfile or die; $json->decode(<$fh>) };
	my ($since, $until) = (iso($req->{since}), iso($req->{until}));
	my %edge = ($since - 1 => 'before-since', $since => 'at-since',
	    $until - 1 => 'before-until', $until => 'at-until',
	    $until + 86400000 => 'day-after-until');
	my %seen;
	open my $fh, '<', $truth or die "$truth: $!";
	while (<$fh>) {
		my $t = $json->decode($_);
		next if $t->{malformed} || !defined $t->{ns} || !defined $t->{user};
		my $ts = iso($t->{ts});
		my ($ns, $user) = ($t->{ns}, $t->{user});
		if ((lc $ns eq 'acme-corp' || lc $ns eq 'alice') && lc $user eq 'alice') {
			$seen{$edge{$ts}}++ if $edge{$ts};
			$seen{'mixed-case'}++ if lc $ns eq 'acme-corp' &&
			    ($ns ne 'acme-corp' || $user ne 'alice');
		}
		next unless $ts >= $since && $ts < $until;
		$seen{"decoy-ns $ns"}++ if lc $user eq 'alice' &&
		    $ns =~ /^(acme|acme-corporation|xacme-corp)$/;
		$seen{"decoy-user $user"}++ if lc $ns eq 'acme-corp' &&
		    $user =~ /^(alice2|malice)$/;
	}
	print "$_\n" for sort keys %seen;
} elsif ($mode eq 'scan') {
	my ($dir, $reqfile) = @ARGV;
	my $req = do { local $/; open my $fh, '<', $reqfile or die; $json->decode(<$fh>) };
	my ($since, $until) = (iso($req->{since}), iso($req->{until}));
	each_line($dir, sub {
		my ($src, $n, $fam, $l) = @_;
		return unless $l =~ /alice/i;	# every rule needs the name
		my ($ts, $ns, $proj, $user, $uid, $ip, $ev) = fields($fam, $l);
		return unless defined $ts && $ts >= $since && $ts < $until;
		my $byalice = (defined $user && lc $user eq 'alice') ||
		    (defined $uid && "$uid" eq 'alice');
		my $tenant = defined $ns && lc $ns eq 'acme-corp' && $byalice;
		# The owned account: her events (by her, or in her personal
		# namespace, which is her name) wherever they happened.
		my $own = grep { lc $_ eq 'alice' } @{$req->{accounts} // []};
		my $account = $own && ($byalice || (defined $ns && lc $ns eq 'alice'));
		return unless $tenant || $account;
		print join("\t", $src, $n, $fam, $ev // '', $ts), "\n";
	});
}
EOF

# unpack DIR OUT: decompress every file of DIR/archive to the same path under
# OUT; an archive becomes a directory of its members.  Only the planted
# truncated archive may fail, and its first member must still come out.
unpack_corpus () {
	(cd "$1" && find archive -type f) | sort >files &&
	(cd "$1" && find archive -type d) | sed "s|^|$2/|" | xargs mkdir -p &&
	while read -r f; do
		case $f in
		*/web-03.tar.zst)
			mkdir -p "$2/$f" &&
			{ zstd -dc "$1/$f" 2>/dev/null | tar -xf - -C "$2/$f" 2>/dev/null; true; } &&
			test -s "$2/$f/var/log/gitlab/gitlab-rails/production_json.log" ;;
		*.tar.zst)
			mkdir -p "$2/$f" && zstd -dc "$1/$f" | tar -xf - -C "$2/$f" ;;
		*.zst)	zstd -dc "$1/$f" >"$2/$f" ;;
		*.gz)	gzip -dc "$1/$f" >"$2/$f" ;;
		*)	cp "$1/$f" "$2/$f" ;;
		esac || { echo "cannot unpack $f" >&2; return 1; }
	done <files
}

sums () {
	(cd "$1" && find . -type f | sort | xargs sha256sum)
}

test_expect_success 'usage errors exit 2 and name the tool' '
	test_must_fail --status=2 ldgen 2>err &&
	test_grep "^ldgen: no output directory" err &&
	test_grep "^try .ldgen --help.$" err &&
	test_must_fail --status=2 ldgen --days 3 -o x 2>err &&
	test_grep "^ldgen: --days" err &&
	test_must_fail --status=2 ldgen --start 2026-02-30 -o x 2>err &&
	test_grep "^ldgen: bad --start" err &&
	test_must_fail --status=2 ldgen -s nope -o x 2>err &&
	test_grep "^ldgen: bad seed" err &&
	test_must_fail --status=2 ldgen -o x extra 2>err &&
	test_grep "^ldgen: unexpected argument: extra" err &&
	test_must_fail --status=2 ldgen --size 0 -o x 2>err &&
	test_grep "^ldgen: --size" err &&
	test_must_fail --status=2 ldgen --bogus -o x 2>err &&
	test_grep "^ldgen: unknown option .--bogus.$" err &&
	! test -e x &&
	ldgen --help >out && test_grep "^usage: ldgen" out
'

test_expect_success 'generate a corpus with truth' '
	ldgen --truth -o a &&
	test -s a/answer-key.jsonl && test -s a/truth.jsonl &&
	test -s a/request.json && test -s a/planted.json
'

test_expect_success 'the same arguments give the same bytes' '
	ldgen --truth -o b &&
	sums a >a.sums && sums b >b.sums &&
	test_cmp a.sums b.sums
'

test_expect_success 'another seed gives other bytes' '
	ldgen -s 2 --truth -o c &&
	sums c >c.sums &&
	cut -c67- a.sums >a.names && cut -c67- c.sums >c.names &&
	test_cmp a.names c.names &&
	! grep -F -x -f a.sums c.sums | grep "\.zst$"
'

test_expect_success 'start and days move the corpus and its window' '
	ldgen --start 2025-02-20 --days 10 --size 2 -o d &&
	ls d/archive >days &&
	test_line_count = 10 days &&
	test "$(head -n 1 days)" = 2025-02-20 &&
	test "$(tail -n 1 days)" = 2025-03-01 &&
	test_grep "\"since\":\"2025-02-21T06:00:00Z\",\"until\":\"2025-02-28T06:00:00Z\"" d/request.json
'

test_expect_success 'the request window is seven days and fits a support request' '
	perl -MJSON::PP -MTime::Local=timegm -e "
		my \$r = decode_json(do { local \$/; <STDIN> });
		sub t { my @f = \$_[0] =~ /(\d+)/g; timegm(\$f[5], \$f[4], \$f[3], \$f[2], \$f[1] - 1, \$f[0]) }
		my (\$s, \$u, \$q) = map { t(\$r->{\$_}) } qw(since until requested_at);
		exit !(\$u - \$s == 7 * 86400 && \$q >= \$u && \$q - \$s <= 7 * 86400 &&
		    \$r->{tenant} eq q(acme-corp) && \$r->{users}[0] eq q(alice));
	" <a/request.json
'

test_expect_success 'every container kind is there and stock tools read it' '
	ls a/archive/*/*.tar.zst >tars && test_line_count -gt 60 tars &&
	ls a/archive/*/audit-events.jsonl.zst >streams && test_line_count = 14 streams &&
	ls a/archive/*/*.gz >gzs && test_line_count = 14 gzs &&
	ls a/archive/*/*.log >plain && test_line_count = 1 plain &&
	zstd -q -t $(grep -v web-03 tars) $(cat streams) &&
	gzip -t $(cat gzs) &&
	for f in $(grep -v web-03 tars); do
		zstd -dc "$f" | tar -tf - >members || return 1
		grep -q "^var/log/gitlab/" members || return 1
	done
'

test_expect_success 'the planted truncated archive is rejected by zstd' '
	ls a/archive/*/web-03.tar.zst >trunc &&
	test_line_count = 1 trunc &&
	test_must_fail zstd -q -t "$(cat trunc)"
'

test_expect_success 'unpack the corpus' '
	unpack_corpus a x
'

test_expect_success 'the answer key is what the canonical rules give on the raw lines' '
	perl scope.pl key a/answer-key.jsonl >expect &&
	perl scope.pl scan x a/request.json | LC_ALL=C sort -t "	" -k1,1 -k2,2n >actual &&
	test_line_count -gt 50 expect &&
	test_cmp expect actual
'

test_expect_success 'the answer key covers every family with a user and every container' '
	cut -f3 expect | sort -u >fams &&
	printf "%s\n" api application audit audit_stream auth gitaly nginx rails shell sidekiq >want &&
	test_cmp want fams &&
	cut -f1 expect | awk "/\.tar\.zst!/ { print \"tar.zst\"; next } { sub(/.*\./, \"\"); print }" |
		sort -u >kinds &&
	printf "%s\n" gz log tar.zst zst >want &&
	test_cmp want kinds &&
	grep -q "web-03.tar.zst!var/log/gitlab/gitlab-rails/production_json.log" expect &&
	! grep -q "web-03.tar.zst!var/log/gitlab/gitlab-workhorse" a/answer-key.jsonl
'

# keylines: the raw answer-key lines, from the unpacked corpus.
test_expect_success 'every answer-key line exists, names alice, and acme-corp in the tenant set' '
	sed -e "s/^{\"src\":\"\([^\"]*\)\",\"line\":\([0-9]*\),.*\"tenant\":\([a-z]*\).*/\1 \2 \3/" -e "s/!/\//" \
		a/answer-key.jsonl >where &&
	perl -ne "
		my (\$f, \$n, \$t) = split;
		open my \$fh, q(<:raw), qq(x/\$f) or die qq(no such source: \$f\n);
		my \$l;
		while (<\$fh>) { if (\$. == \$n) { \$l = \$_; last } }
		defined \$l && \$l =~ /alice/i && (\$t ne q(true) || \$l =~ /acme-corp/i)
			or die qq(bad line \$f:\$n\n);
		print \$l;
	" <where >keylines &&
	test "$(wc -l <keylines)" -eq "$(wc -l <a/answer-key.jsonl)"
'

test_expect_success 'the owned account: her account-level events, as GitLab writes them' '
	perl -MJSON::PP -e "
		my \$r = decode_json(do { local \$/; <STDIN> });
		exit !(join(q(,), @{\$r->{accounts}}) eq q(alice));
	" <a/request.json &&
	perl -MJSON::PP -ne "
		my \$a = decode_json(\$_);
		print \$a->{event} // q(-), qq(\n) if \$a->{account} && !\$a->{tenant};
		die qq(tenant line outside the account set\n) if \$a->{tenant} && !\$a->{account};
	" a/answer-key.jsonl | sort -u >acct &&
	for e in login_failed_with_standard_authentication "SessionsController#create" \
	    authenticated_with_password user_signed_in_from_unseen_ip \
	    "Profiles::TwoFactorAuthsController#destroy" user_disable_two_factor \
	    personal_access_token_created add_ssh_key user_email_address_updated \
	    CreateFork "ProjectsController#show"; do
		grep -qxF "$e" acct || { echo "not in the account set: $e"; return 1; }
	done &&
	grep "\"event_name\":\"user_disable_two_factor\"" keylines >tfa &&
	test_line_count = 1 tfa &&
	test_grep "\"entity_type\":\"User\"" tfa &&
	test_grep "\"entity_id\":4711," tfa &&
	test_grep "\"entity_path\":\"alice\"" tfa &&
	test_grep -v acme-corp tfa
'

test_expect_success 'the corpus holds the edges of the window and the decoys' '
	perl scope.pl probe a/truth.jsonl a/request.json >probes &&
	cat >want <<-\EOT &&
	at-since
	at-until
	before-since
	before-until
	day-after-until
	decoy-ns acme
	decoy-ns acme-corporation
	decoy-ns xacme-corp
	decoy-user alice2
	decoy-user malice
	mixed-case
	EOT
	test_cmp want probes
'

test_expect_success 'the hard cases are in the answer key' '
	awk "length > 100000" keylines >long && test_line_count = 1 long &&
	perl -ne "\$bad++ unless utf8::decode(my \$c = \$_); END { exit(\$bad ? 0 : 1) }" keylines &&
	grep -q "glpat-" keylines &&
	grep -q "\"change\":\"visibility\"" keylines &&
	grep -q "+00:00" keylines &&
	grep -q "\"created_at\":[0-9]*\.[0-9]*," keylines &&
	grep -c "99000001" keylines >dups && test "$(cat dups)" = 2 &&
	grep -c "\"id\":\"99000010\"" keylines >dups && test "$(cat dups)" = 2
'

test_expect_success 'every planted value occurs in the answer-key lines' '
	perl -MJSON::PP -e "
		my \$p = decode_json(do { local \$/; <STDIN> });
		for my \$k (qw(secrets emails ips users other_tenants internal)) {
			die qq(no \$k\n) unless @{\$p->{\$k}};
			print qq(\$_\n) for @{\$p->{\$k}};
		}" <a/planted.json >values &&
	test_line_count -ge 10 values &&
	while read -r v; do
		grep -qF -- "$v" keylines || { echo "not in the answer key: $v"; return 1; }
	done <values
'

test_expect_success 'truth has one record per line of every file' '
	perl -MJSON::PP -ne "
		my \$t = decode_json(\$_); \$n{\$t->{src}}++;
		die qq(line order \$t->{src}\n) unless \$t->{line} == \$n{\$t->{src}};
		END { print qq(\$_ \$n{\$_}\n) for sort keys %n }" a/truth.jsonl |
		sed "s/!/\//" | grep -v "web-03.tar.zst/var/log/gitlab/gitlab-workhorse" >truth.count &&
	(cd x && find archive -type f | sort | grep -v "web-03.tar.zst/var/log/gitlab/gitlab-workhorse" |
		perl -ne "chomp; my (\$f, \$n) = (\$_, 0); open my \$fh, q(<:raw), \$f or die;
			local \$/ = \\65536; \$n += tr/\n// while <\$fh>; print qq(\$f \$n\n)") >file.count &&
	test_cmp truth.count file.count
'

test_expect_success 'truth gives the canonical fields of every line' '
	perl scope.pl truth a/truth.jsonl | LC_ALL=C sort -t "	" -k1,1 -k2,2n >expect &&
	perl scope.pl lines x | LC_ALL=C sort -t "	" -k1,1 -k2,2n >actual &&
	test_cmp expect actual
'

test_expect_success 'truth marks the planted broken lines and keeps them out of the key' '
	grep "\"malformed\":true" a/truth.jsonl >broken &&
	test_line_count = 4 broken &&
	grep -c "\"ts\":null" broken >raw && test "$(cat raw)" = 3 &&
	sed -n "s/^{\"src\":\"\([^\"]*\)\",\"line\":\([0-9]*\),.*/\1 \2/p" broken |
		while read -r s n; do
			! grep -qF "\"src\":\"$s\",\"line\":$n," a/answer-key.jsonl || return 1
		done
'

test_expect_success 'one file has CRLF line ends' '
	grep -l "$(printf "\r")" $(find x -type f) >crlf &&
	test_line_count = 1 crlf &&
	grep -q "gitlab-shell.log$" crlf
'

test_done
