#!/usr/bin/env python3
# gen.py — writes t4013/attack.log and t4013/canaries (hand-written cases,
# made-up values): python3 gen.py DIR.  Edit the cases here, run it, and
# commit the three files together.
import base64, json, os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from attackgen import corpus
rec, write, can = corpus("2026-11-18T05:%02d:%02d.125Z")
# the two gaps left by the third attack
rec("q001", "scl", "walrus tusk", message="clone https://deploy:walrus tusk 9@db.example.com/app failed")
rec("q002", "scl", "tusk two", url="postgres://app:tusk two@db.example.com:5432/prod")
rec("q003", "scl", "Vb7Nm9Qw1Er3Ty", message="token glpat-Hk2Lp4Zx6C%0d%0aVb7Nm9Qw1Er3Ty end")
rec("q004", "scl", "Gh5Jk7Lm9Np1Qr", message="token glpat-Wd8Fs6Ae4R\\r\\nGh5Jk7Lm9Np1Qr end")
rec("q005", "scl", "Pz3Ox5Iy7Ut9Re1W", message="token glpat-Cv2Bn4Mq\r\nPz3Ox5Iy7Ut9Re1W end")
rec("q006", "scl", "Jd4Kf6Lg8Mh0Ni2O", message="gh\u0070_%0aJd4Kf6Lg8Mh0Ni2OAa1Bb2Cc3Dd4Ee5Ff6Gg7H")
rec("q007", "scl", "Tn5Ym7Uk9Il1Oj3P", params=[{"key": "note", "value": "glpat-Qa2Ws4Ed%0D%0ATn5Ym7Uk9Il1Oj3P"}])
rec("q008", "scl", "Xr6Ct8Vy0Bu2Ni4M", message="glpat%0d%0a-Xr6Ct8Vy0Bu2Ni4M")
# encodings nested deeper than before
rec("q010", "scl", "Lq8Wz2Xs4Ed6Rf8T", message="glpat%252525252DLq8Wz2Xs4Ed6Rf8T five times")
rec("q011", "scl", "ZeroDayPass77", message="password%25253DZeroDayPass77")
# prefixes of gitleaks rules not yet known
rec("q020", "scl", "Kx9Lz8Mw7Nv6Ou5Pt4Qs3Rr2Sq1Tp0Uo9Vn8Wm7Xl6Yk5Zj4Ai3Bh2Cg1Df0Ee9Fd8Gc7Hb6Ia5J", message="TF_TOKEN xyzabcdefghijk.atlasv1.Kx9Lz8Mw7Nv6Ou5Pt4Qs3Rr2Sq1Tp0Uo9Vn8Wm7Xl6Yk5Zj4Ai3Bh2Cg1Df0Ee9Fd8Gc7Hb6Ia5J")
rec("q021", "scl", "ab12cd34ef56gh78ij90kl12mn34op56qr78st90uv12wx34yz56ab78cd90ef12", message="frameio fio-u-ab12cd34ef56gh78ij90kl12mn34op56qr78st90uv12wx34yz56ab78cd90ef12")
rec("q022", "scl", "Qm4Wn6Eb8Rv0Tc2Yx4Uz6Ia8Os0Pd2Lf4Kg6Jh8Hj0Gk2Fx9", message="scalingo tk-us-Qm4Wn6Eb8Rv0Tc2Yx4Uz6Ia8Os0Pd2Lf4Kg6Jh8Hj0Gk2Fx9")
rec("q023", "scl", "Zt8Yr6We4Qa2Sd0Fg8Hj6Kl4Zx2Cv0Bn8Mq6", message="yc AQVNZt8Yr6We4Qa2Sd0Fg8Hj6Kl4Zx2Cv0Bn8Mq6")
rec("q024", "scl", "cafebabe:deadbeef", message="BUNDLE_ENTERPRISE__CONTRIBSYS__COM=cafebabe:deadbeef")
rec("q025", "scl", "Wq2Er4Ty6Ui8Op0As2Df4Gh6Jk", message="octopus API-WQ2ER4TY6UI8OP0AS2DF4GH6JK0L".replace("WQ2ER4TY6UI8OP0AS2DF4GH6JK0L", "WQ2ER4TY6UI8OP0AS2DF4GH6JK") )
can[-1] = "q025 scl WQ2ER4TY6UI8OP0AS2DF4GH6JK"
rec("q026", "scl", "Pk3Lj5Hg7Fd9Sa1Qw3Er5T", message="harness pat.Pk3Lj5Hg7Fd9Sa1Qw3Er5T.0123456789abcdef01234567.Ab1Cd2Ef3Gh4Ij5Kl6Mn")
rec("q027", "scl", "Vz1Xc3Vb5Nm7Qw9Er1Ty3Ui5Op7As9Df", message="settlemint sm_pat_Vz1Xc3Vb5Nm7Qw9Er1Ty3Ui5Op7As9Df")
# secrets in base64 that hold a name, not a prefix
b = base64.b64encode(b'{"password":"BaseSixtyFourCanary9"}').decode()
rec("q030", "scl", b[16:40], message="body " + b)
b = base64.b64encode(b'x{"secret": "OtherCanary8", "a":1}').decode()
rec("q031", "scl", b[20:36], message="payload=" + b)
# JSON in a string, escaped names
rec("q040", "scl", "EscapedName42", message="{\"pass\\u0077ord\":\"EscapedName42\"}")
rec("q041", "scl", "DeepInner55", message=json.dumps(json.dumps(json.dumps({"a": {"token": "DeepInner55"}}))))
rec("q042", "scl", "Esc4pedCanary", message="token=\"quoted\\\"Esc4pedCanary\" and password: 'it\\'sCanary5'")
can.append("q042 scl sCanary5")
# params of GitLab's shape
rec("q050", "scl", "ConfirmCanary3", params=[{"key": "user", "value": {"password_confirmation": "ConfirmCanary3", "login": "alice"}}])
rec("q051", "scl", "NestedPat4", params=[{"key": "personal_access_token", "value": [{"key": "value", "value": "NestedPat4"}]}])
rec("q052", "scl", "XGitlabToken5", params=[{"key": "X-Gitlab-Token", "value": "XGitlabToken5"}])
rec("q053", "scl", "HookSecret6", params=[{"key": "hook", "value": {"url": "https://h.example.com", "token": "HookSecret6"}}])
rec("q054", "scl", "RunnerReg7", params=[{"key": "info", "value": "x"}, {"key": "token", "value": "RunnerReg7"}])
# headers
rec("q060", "scl", "PrivTok8Canary", message="headers: {\"Private-Token\"=>\"PrivTok8Canary\"}")
rec("q061", "scl", "JobTok9Canary", message="Job-Token: JobTok9Canary")
rec("q062", "scl", "ProxyAuth10", message="Proxy-Authorization: Basic ProxyAuth10")
rec("q063", "scl", "DeployTok11", message="Deploy-Token: DeployTok11")
# sidekiq args
rec("q070", "scl", "ArgSecret12", **{"class": "WebHookWorker", "args": ["42", "{\"token\":\"ArgSecret12\"}"]})
rec("q071", "sc", "argmail", **{"class": "Emails::Worker", "args": ["argmail@example.org"]})
# personal data in fields GitLab writes
rec("q080", "sc", "4242", user_id="user-4242", username="gl-shell", command="git-upload-pack")
rec("q081", "sc", "777131", entity_type="User", entity_id=777131, entity_path="someone", event_name="user_signed_in_from_unseen_ip")
rec("q082", "sc", "someone", entity_type="User", entity_id=777132, entity_path="someone", target_details="someone")
rec("q083", "sc", "885566", details={"target_type": "User", "target_id": 885566, "author_name": "Mallory M"})
rec("q084", "sc", "Mallory Q", details={"author_name": "Mallory Q", "custom_message": "x"})
rec("q085", "sc", "fritz", path="/users/fritz/calendar.json")
rec("q086", "sc", "gertrud", path="/api/v4/users/gertrud/projects")
rec("q087", "sc", "hanna.k@example.net", message="From: \"Hanna K\" <hanna.k@example.net>")
rec("q088", "sc", "198.51.100.77", **{"meta.remote_ip": "198.51.100.77"})
rec("q089", "sc", "203.0.113.5", remote_ip="203.0.113.5, 10.0.0.1")
rec("q090", "sc", "2001:db8:4::77", message="from [2001:db8:4::77]:443")
rec("q091", "sc", "irma", **{"meta.user": "irma", "message": "irma logged in"})
# other tenants' names in every path syntax
rec("q100", "scl", "zenith-labs", path="/-/ide/project/zenith-labs/core/edit/main")
rec("q101", "scl", "zenith-labs", path="/api/v4/projects/zenith-labs%252Fcore/issues")
rec("q102", "scl", "zenith-labs", **{"grpc.request.repoPath": "zenith-labs/core.git"})
rec("q103", "scl", "zenith-labs", **{"meta.project": "zenith-labs/core"})
rec("q104", "scl", "zenith-labs", message="go get gitlab.example.com/zenith-labs/core@v1.2.0")
rec("q105", "scl", "zenith-labs", message="npm install @zenith-labs/core")
rec("q106", "scl", "zenith-labs", path="/users/sign_in", params=[{"key": "redirect_uri", "value": "/zenith-labs/core"}])
rec("q107", "scl", "zenith-labs", path="/acme-corp/web", params=[{"key": "namespace_id", "value": "zenith-labs"}])
rec("q108", "scl", "zenith-labs", path="/api/v4/projects", params=[{"key": "id", "value": "zenith-labs/core"}])
rec("q109", "scl", "zenith-labs", import_source="zenith-labs/core", message="import")
rec("q110", "scl", "zenith-labs", message="ssh://git@gitlab.example.com:2222/zenith-labs/core.git")
rec("q111", "scl", "zenith-labs", **{"meta.search.project_path": "x", "extra.source_full_path": "zenith-labs/core"})
rec("q112", "scl", "zenith-labs", **{"class": "RepositoryForkWorker", "args": ["1", "zenith-labs/core"]})
rec("q113", "scl", "zenith-labs", path="/acme-corp/web/-/merge_requests/new", params=[{"key": "merge_request", "value": {"source_project_path": "zenith-labs/core"}}])
rec("q114", "scl", "zenith-labs", message="query { project(fullPath: \\\"zenith-labs/core\\\") { id } }")
rec("q115", "scl", "zenith-labs", path="/api/v4/groups/zenith-labs%2Fsub/projects")
rec("q116", "scl", "zenith-labs", **{"grpc.request.glProjectPath": "ZENITH-LABS/core"})
write(sys.argv[1])
