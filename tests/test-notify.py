#!/usr/bin/env python3
# test-notify.py — reminders as desktop notifications, on a private session
# bus whose notification server is python-dbusmock's (build-aux/notify-mock):
# what `billbook-cli remind --notify` and `billbook --background` send
# (summary, body, actions, urgency, hints), grouping of more than three,
# nothing sent twice (a second run, a restart), done and snoozed ones never
# sent, and the Snooze and Open buttons of the app.
#   build-aux/notify-mock LOG -- tests/test-notify.py LOG BILLBOOK-CLI [BILLBOOK]
import datetime
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

log_path, cli = sys.argv[1], sys.argv[2]
app = sys.argv[3] if len(sys.argv) > 3 else None
tmp = tempfile.mkdtemp(prefix='test-notify-')
n = 0
failures = 0
today = datetime.date.today()


def day(offset):
    return (today + datetime.timedelta(days=offset)).isoformat()


def check(what, ok, detail=''):
    global n, failures
    n += 1
    if ok:
        print(f'ok {n} - {what}')
    else:
        failures += 1
        print(f'not ok {n} - {what}')
        if detail:
            for line in str(detail).splitlines():
                print(f'# {line}')


RECORD = re.compile(r'^(\d+\.\d+) Notify "(.*?)" (\d+) "(.*?)" "(.*?)" "(.*?)" (\[.*?\]) (\{.*\}) (-?\d+)$',
                    re.S)


def notifications():
    """Every Notify the mock logged so far, oldest first."""
    time.sleep(0.3)  # the mock logs as it answers; give it its turn
    with open(log_path, 'rb') as f:
        data = f.read()
    try:
        text = data.decode('utf-8')
    except UnicodeDecodeError as e:
        print(f'# the log is not UTF-8 ({e}): {data[:200]!r}')
        text = data.decode('utf-8', 'replace')
    out = []
    for record in re.split(r'\n(?=\d+\.\d+ )', text):
        m = RECORD.match(record.strip('\n'))
        if m:
            out.append({
                'app': m.group(2), 'icon': m.group(4), 'summary': m.group(5), 'body': m.group(6),
                'actions': json.loads(m.group(7)), 'hints': json.loads(m.group(8)),
            })
    return out


def new_since(count):
    return notifications()[count:]


CUSTOMERS = '''code,name,company,phone,email,address,tax_id,class,credit_limit,payment_terms_days,tags,notes
C1,Wang Xiaoming,,,,,,B,0,15,,
C2,Harbour & Bakery,,,,,,B,0,30,,
C3,Li Na,,,,,,B,0,0,,
C4,Zhao Lei,,,,,,B,0,0,,
C5,Chen Jing,,,,,,B,0,0,,
'''


def make_book(name, bills):
    """A book with the customers above and bills (number, customer, due in days, amount)."""
    book = os.path.join(tmp, name + '.db')
    with open(os.path.join(tmp, 'customers.csv'), 'w', encoding='utf-8') as f:
        f.write(CUSTOMERS)
    run(book, 'import', 'customers', os.path.join(tmp, 'customers.csv'))
    add_bills(book, bills)
    return book


def add_bills(book, bills):
    lines = ['number,customer_code,issued_on,due_on,status,description,quantity,unit_price,'
             'tax_rate_percent,discount_percent']
    for number, customer, due, amount in bills:
        lines.append(f'{number},{customer},{day(min(due, 0) - 30)},{day(due)},issued,Goods,1,{amount},0,0')
    path = os.path.join(tmp, 'bills.csv')
    with open(path, 'w', encoding='utf-8') as f:
        f.write('\n'.join(lines) + '\n')
    run(book, 'import', 'invoices', path)


def run(book, *args):
    return subprocess.run([cli, '--database', book, *args], capture_output=True, text=True)


def notify(book, as_of=None):
    args = ['remind', '--notify'] + (['--as-of', as_of] if as_of else [])
    return run(book, *args)


def states(book):
    """(bill number, kind, stage) → state, snoozed_until"""
    db = sqlite3.connect(book)
    rows = db.execute('SELECT i.number, r.kind, r.stage, r.state, r.snoozed_until FROM reminders r '
                      'JOIN invoices i ON i.id = r.subject_id '
                      "WHERE r.kind IN ('due_soon', 'overdue')").fetchall()
    db.close()
    return {(r[0], r[1], r[2]): (r[3], r[4]) for r in rows}


def mark(book, number, kind, stage, state, snoozed_until=None):
    db = sqlite3.connect(book)
    (subject,) = db.execute('SELECT id FROM invoices WHERE number = ?', (number,)).fetchone()
    db.execute('INSERT INTO reminders (kind, subject_id, stage, state, snoozed_until, updated_at) '
               "VALUES (?, ?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
               (kind, subject, stage, state, snoozed_until))
    db.commit()
    db.close()


# ---- billbook-cli remind --notify: one notification per reminder --------

book = make_book('single', [('A-1', 'C1', 3, '100'), ('A-2', 'C2', -61, '50.5'), ('A-3', 'C3', -8, '30')])
before = len(notifications())
r = notify(book, day(0))
check('remind --notify exits 0', r.returncode == 0, r.stderr)
check('remind --notify prints nothing', r.stdout == '' and r.stderr == '', r.stdout + r.stderr)
sent = new_since(before)
check('three reminders, three notifications', len(sent) == 3, sent)
by_summary = {s['summary']: s for s in sent}

final = by_summary.get('Harbour & Bakery owes ¥50.50')
check('summary says who and how much (final stage)', final is not None, list(by_summary))
if final:
    check('body of the final stage: bill, days overdue, due date, wording',
          final['body'] == f'Bill A-2 is 61 days overdue (due {day(-61)}).\n'
                           'Final notice: send the final reminder now.', final['body'])
    check('the final dunning stage is critical', final['hints'].get('urgency') == 2, final['hints'])

polite = by_summary.get('Li Na owes ¥30.00')
check('summary of an overdue bill at a polite stage', polite is not None, list(by_summary))
if polite:
    check('body of a polite stage',
          polite['body'] == f'Bill A-3 is 8 days overdue (due {day(-8)}).\nTime for a polite reminder.',
          polite['body'])
    check('a polite stage is of normal urgency', polite['hints'].get('urgency') == 1, polite['hints'])

soon = by_summary.get('Wang Xiaoming owes ¥100.00')
check('summary of a bill due soon', soon is not None, list(by_summary))
if soon:
    check('body of a bill due soon', soon['body'] == f'Bill A-1 falls due in 3 days, on {day(3)}.', soon['body'])
    check('a bill due soon is of normal urgency', soon['hints'].get('urgency') == 1, soon['hints'])

for s in sent:
    check(f'app name, icon, desktop entry and category: {s["summary"]}',
          s['app'] == 'Billbook' and s['icon'] == 'io.github.billbook.Billbook' and
          s['hints'].get('desktop-entry') == 'io.github.billbook.Billbook' and
          s['hints'].get('category') == 'x-billbook.reminder', s)
    check(f'the command does not wait for answers, so no buttons: {s["summary"]}', s['actions'] == [], s['actions'])

st = states(book)
check('each is recorded in the book as notified at its stage',
      st.get(('A-1', 'due_soon', '-3'), (None,))[0] == 'notified' and
      st.get(('A-2', 'overdue', '+60'), (None,))[0] == 'notified' and
      st.get(('A-3', 'overdue', '+7'), (None,))[0] == 'notified', st)

before = len(notifications())
r = notify(book, day(0))
check('a second run exits 0', r.returncode == 0, r.stderr)
check('a second run sends nothing', new_since(before) == [], new_since(before))

csv = run(book, 'remind', '--as-of', day(0)).stdout
check('notified reminders are still listed', csv.count('\n') == 4, csv)

# Weeks later (the machine was off): one notification per bill that
# reached a new stage meanwhile, however many checks were missed.
before = len(notifications())
notify(book, day(23))
later = sorted(s['body'] for s in new_since(before))
check('23 days later, one notification per bill at a new stage',
      later == [f'Bill A-1 is 20 days overdue (due {day(3)}).\nTime for a polite reminder.',
                f'Bill A-3 is 31 days overdue (due {day(-8)}).\nTime for a firm reminder.'], later)
before = len(notifications())
notify(book, day(23))
check('and not again', new_since(before) == [])

# ---- done and snoozed are not sent -----------------------------------------

book = make_book('states', [('S-1', 'C1', 3, '10'), ('S-2', 'C2', 3, '20'), ('S-3', 'C3', 3, '30')])
mark(book, 'S-1', 'due_soon', '-3', 'done')
mark(book, 'S-2', 'due_soon', '-3', 'snoozed', day(1) + 'T00:00:00Z')
before = len(notifications())
notify(book, day(0))
sent = new_since(before)
check('done and snoozed reminders are not sent, the third is',
      [s['summary'] for s in sent] == ['Li Na owes ¥30.00'], [s['summary'] for s in sent])
before = len(notifications())
notify(book, day(1))
sent = new_since(before)
check('when the snooze is over it is sent (the done one and the notified one are not)',
      [(s['summary'], s['body']) for s in sent] ==
      [('Harbour & Bakery owes ¥20.00', f'Bill S-2 falls due in 2 days, on {day(3)}.')], sent)

# ---- more than three at once: one notification ------------------------------

book = make_book('group', [(f'G-{i}', f'C{i}', 0, str(10 * i)) for i in range(1, 6)])
before = len(notifications())
notify(book, day(0))
sent = new_since(before)
check('five new reminders make one notification', len(sent) == 1, sent)
if sent:
    g = sent[0]
    check('its summary counts them ("5 bills fall due today")', g['summary'] == '5 bills fall due today', g['summary'])
    check('its body names the first four and says how many more',
          g['body'] == 'Wang Xiaoming · G-1 · ¥10.00\nHarbour &amp; Bakery · G-2 · ¥20.00\n'
                       'Li Na · G-3 · ¥30.00\nZhao Lei · G-4 · ¥40.00\nand 1 more', g['body'])
    check('a group of bills due is of normal urgency', g['hints'].get('urgency') == 1, g['hints'])
st = states(book)
check('all five are recorded as notified',
      all(st.get((f'G-{i}', 'due_soon', '-1'), (None,))[0] == 'notified' for i in range(1, 6)), st)
before = len(notifications())
notify(book, day(0))
check('and none is sent again', new_since(before) == [])

book = make_book('mixed', [('M-1', 'C1', -2, '10'), ('M-2', 'C2', -2, '20'),
                           ('M-3', 'C3', 7, '30'), ('M-4', 'C4', 7, '40'), ('M-5', 'C5', -70, '50')])
before = len(notifications())
notify(book, day(0))
sent = new_since(before)
check('five mixed reminders make one notification', len(sent) == 1, sent)
if sent:
    g = sent[0]
    check('its summary counts the reminders', g['summary'] == '5 reminders', g['summary'])
    check('its body counts each kind first',
          g['body'].split('\n')[0] == '2 bills due soon, 3 overdue bills', g['body'])
    check('a group with a bill at the final stage is critical', g['hints'].get('urgency') == 2, g['hints'])

# ---- the app in the background -------------------------------------------------

def start_app(book, out, extra_env=None):
    env = dict(os.environ, G_MESSAGES_DEBUG='Billbook', BILLBOOK_NO_AUTOMATIC_BACKUP='1', **(extra_env or {}))
    f = open(out, 'w')
    proc = subprocess.Popen([app, '--background', '--database', book], stdout=f, stderr=subprocess.STDOUT, env=env)
    for _ in range(200):
        with open(out, encoding='utf-8', errors='replace') as g:
            text = g.read()
        m = re.search(r'Reminders checked \(start\): (\d+) notified', text)
        if m:
            return proc, int(m.group(1))
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    return proc, None


def wait_output(out, pattern):
    for _ in range(100):
        with open(out, encoding='utf-8', errors='replace') as g:
            m = re.search(pattern, g.read())
        if m:
            return m
        time.sleep(0.1)
    return None


def stop_app(proc):
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def invoke(notification_id, action):
    subprocess.run(['gdbus', 'call', '--session', '--dest', 'org.freedesktop.Notifications',
                    '--object-path', '/org/freedesktop/Notifications',
                    '--method', 'org.freedesktop.DBus.Mock.EmitSignal',
                    'org.freedesktop.Notifications', 'ActionInvoked', 'us',
                    f"[<uint32 {notification_id}>, <'{action}'>]"], capture_output=True, check=True)


if app:
    book = make_book('app', [('P-1', 'C1', 1, '12'), ('P-2', 'C3', -1, '34')])
    before = len(notifications())
    proc, count = start_app(book, os.path.join(tmp, 'app1.out'))
    check('billbook --background checks at start and stays running',
          count == 2 and proc.poll() is None, open(os.path.join(tmp, 'app1.out')).read())
    sent = new_since(before)
    check('it sent the two reminders', [s['summary'] for s in sent] ==
          ['Li Na owes ¥34.00', 'Wang Xiaoming owes ¥12.00'], sent)
    for s in sent:
        check(f'the app\'s notifications have Open and Snooze: {s["summary"]}',
              s['actions'] == ['default', 'Open', 'open', 'Open', 'snooze', 'Snooze'], s['actions'])
    check('its texts are the command\'s', sent and sent[1]['body'] == f'Bill P-1 falls due tomorrow, {day(1)}.',
          sent)

    # The mock numbers notifications from 1, in the order they came.
    snooze_id = before + 2
    invoke(snooze_id, 'snooze')
    st = {}
    for _ in range(50):
        st = states(book)
        if st.get(('P-1', 'due_soon', '-1'), (None,))[0] == 'snoozed':
            break
        time.sleep(0.1)
    tomorrow = datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time(9))
    until = tomorrow.astimezone(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')
    check('Snooze snoozes the reminder until 9:00 tomorrow',
          st.get(('P-1', 'due_soon', '-1')) == ('snoozed', until), st)

    if shutil.which('xdotool'):
        def windows():
            r = subprocess.run(['xdotool', 'search', '--onlyvisible', '--name', 'Billbook'], capture_output=True, text=True)
            return len(r.stdout.split())
        check('in the background there is no window', windows() == 0)
        invoke(snooze_id - 1, 'open')
        for _ in range(100):
            if windows() > 0:
                break
            time.sleep(0.1)
        check('Open shows the window', windows() > 0)

    stop_app(proc)
    before = len(notifications())
    proc, count = start_app(book, os.path.join(tmp, 'app2.out'))
    check('after a restart the app sends nothing again', count == 0 and new_since(before) == [],
          open(os.path.join(tmp, 'app2.out')).read())
    before = len(notifications())
    r = notify(book)
    check('nor does the command: they share the record', r.returncode == 0 and new_since(before) == [],
          r.stderr)
    stop_app(proc)

    # After a resume from suspend (logind's PrepareForSleep(false); a mock
    # of it on this bus, given to the app as its system bus) the app checks
    # at once and sends what came due meanwhile.
    logind = subprocess.Popen(['/usr/bin/python3', '-m', 'dbusmock', '--session', 'org.freedesktop.login1',
                               '/org/freedesktop/login1', 'org.freedesktop.login1.Manager'],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    subprocess.run(['gdbus', 'wait', '--session', '--timeout', '10', 'org.freedesktop.login1'])
    book = make_book('resume', [('R-1', 'C1', 3, '5')])
    out = os.path.join(tmp, 'app3.out')
    proc, count = start_app(book, out, {'DBUS_SYSTEM_BUS_ADDRESS': os.environ['DBUS_SESSION_BUS_ADDRESS']})
    check('the app sends at start', count == 1, open(out).read())
    time.sleep(0.5)
    add_bills(book, [('R-2', 'C3', 1, '6')])
    before = len(notifications())
    for sleeping in ('true', 'false'):
        subprocess.run(['gdbus', 'call', '--session', '--dest', 'org.freedesktop.login1',
                        '--object-path', '/org/freedesktop/login1',
                        '--method', 'org.freedesktop.DBus.Mock.EmitSignal',
                        'org.freedesktop.login1.Manager', 'PrepareForSleep', 'b', f'[<{sleeping}>]'],
                       capture_output=True, check=True)
    m = wait_output(out, r'Reminders checked \(resume\): (\d+) notified')
    check('after a resume it checks and sends what is new', m is not None and m.group(1) == '1' and
          [s['summary'] for s in new_since(before)] == ['Li Na owes ¥6.00'], open(out).read())
    stop_app(proc)
    logind.terminate()
    logind.wait()

print(f'1..{n}')
shutil.rmtree(tmp, ignore_errors=True)
sys.exit(1 if failures else 0)
