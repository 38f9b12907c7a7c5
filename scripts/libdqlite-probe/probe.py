#!/usr/bin/env python3
"""Sends hand-made dqlite requests to one node or app socket and says whether it survived.

    probe.py ADDRESS [CASE...]      # ADDRESS: host:port of a node (the leader, for SQL) or @name
    probe.py --list

Run it only against a throwaway cluster: some cases kill the node, add a member or move
leadership. Each case runs on a fresh connection; afterwards a new connection must get an answer to a leader
request within 5 s, or the case is reported as fatal. This is how docs/protocol.md's "What kills
libdqlite 1.11.1" was found (against a sidecar's leader, restarting it after each fatal case).
Node addresses speak the client handshake themselves (a client request is sent first); app
sockets answer it too. Nothing here restarts a node.
"""
import sys, time
from wire import *

P = lambda *a: struct.pack(*a)
def opened(s):
    client(s); return open_(s)
CASES = {
 'heartbeat': lambda s: [client(s), (s.sendall(msg(2, P('<Q',0))), recv(s))[1]],
 'interrupt_idle_opened': lambda s: [opened(s), (s.sendall(msg(10, P('<Q',0))), recv(s))[1]],
 'interrupt_unopened': lambda s: [client(s), (s.sendall(msg(10, P('<Q',0))), recv(s))[1]],
 'interrupt_db7': lambda s: [opened(s), (s.sendall(msg(10, P('<Q',7))), recv(s))[1]],
 'prepare_unopened': lambda s: [client(s), prepare(s,'SELECT 1')],
 'execsql_unopened': lambda s: [client(s), (s.sendall(msg(8, P('<Q',0)+text('SELECT 1'))), recv(s))[1]],
 'querysql_db1': lambda s: [opened(s), (s.sendall(msg(9, P('<Q',1)+text('SELECT 1'))), recv(s))[1]],
 'exec_db1_stmt0': lambda s: [opened(s), prepare(s,'SELECT 1'), exec_(s,0,db=1)],
 'exec_never_prepared': lambda s: [opened(s), prepare(s,'SELECT 1'), exec_(s,5)],
 'exec_unopened': lambda s: [client(s), exec_(s,0)],
 'finalize_twice_last': lambda s: [opened(s), prepare(s,'SELECT 1'), finalize(s,0), finalize(s,0)],
 'finalize_hole': lambda s: [opened(s), prepare(s,'SELECT 1'), prepare(s,'SELECT 2'), finalize(s,0), finalize(s,0)],
 'query_hole': lambda s: [opened(s), prepare(s,'SELECT 1'), prepare(s,'SELECT 2'), finalize(s,0), query(s,0)],
 'finalize_last_then_exec': lambda s: [opened(s), prepare(s,'SELECT 1'), prepare(s,'SELECT 2'), finalize(s,1), exec_(s,1)],
 'open_twice': lambda s: [opened(s), open_(s,'other')],
 'open_empty_name': lambda s: [client(s), (s.sendall(msg(3, text('')+P('<Q',0)+text('volatile'))), recv(s))[1]],
 'open_no_nul': lambda s: [client(s), (s.sendall(msg(3, b'abcdefgh')), recv(s))[1]],
 'prepare_no_nul': lambda s: [opened(s), (s.sendall(msg(4, P('<Q',0)+b'SELECT 1')), recv(s))[1]],
 'prepare_empty_sql': lambda s: [opened(s), prepare(s,'')],
 'prepare_bad_sql': lambda s: [opened(s), prepare(s,'SELEKT')],
 'params_count_more_than_values': lambda s: [opened(s), prepare(s,'SELECT ?'), query(s,0,params=bytes([5,1,1,1,1,0,0,0])+P('<Q',1))],
 'params_count255_no_values': lambda s: [opened(s), prepare(s,'SELECT ?'), query(s,0,params=bytes([255])+b'\1'*7)],
 'params_unknown_type': lambda s: [opened(s), prepare(s,'SELECT ?'), query(s,0,params=bytes([1,99,0,0,0,0,0,0])+P('<Q',1))],
 'params_type0': lambda s: [opened(s), prepare(s,'SELECT ?'), query(s,0,params=bytes([1,0,0,0,0,0,0,0])+P('<Q',1))],
 'params_unixtime': lambda s: [opened(s), prepare(s,'SELECT ?'), query(s,0,params=bytes([1,9,0,0,0,0,0,0])+P('<Q',1))],
 'params_more_than_stmt': lambda s: [opened(s), prepare(s,'SELECT 1'), query(s,0,params=bytes([3,1,1,1,0,0,0,0])+P('<QQQ',1,2,3))],
 'params_text_no_nul': lambda s: [opened(s), prepare(s,'SELECT ?'), query(s,0,params=bytes([1,3,0,0,0,0,0,0])+b'abcdefgh')],
 'params_blob_len_huge': lambda s: [opened(s), prepare(s,'SELECT ?'), query(s,0,params=bytes([1,4,0,0,0,0,0,0])+P('<Q',1<<40))],
 'params_count0_with_bytes': lambda s: [opened(s), prepare(s,'SELECT 1'), query(s,0,params=bytes(8))],
 'schema1_params': lambda s: [opened(s), prepare(s,'SELECT ?'), (s.sendall(msg(6, P('<II',0,0)+P('<I',1)+bytes([1,0,0,0])+P('<Q',1), schema=1)), recv(s))[1]],
 'execsql_params_bad': lambda s: [opened(s), (s.sendall(msg(8, P('<Q',0)+text('SELECT ?')+bytes([2,1,1,0,0,0,0,0])+P('<Q',1))), recv(s))[1]],
 'querysql_multi_stmt': lambda s: [opened(s), (s.sendall(msg(9, P('<Q',0)+text('SELECT 1; SELECT 2'))), recv(s))[1]],
 'zero_body_leader': lambda s: [(s.sendall(msg(0, b'')), recv(s))[1]],
 'zero_body_open': lambda s: [client(s), (s.sendall(msg(3, b'')), recv(s))[1]],
 'zero_body_exec': lambda s: [opened(s), prepare(s,'SELECT 1'), (s.sendall(msg(5, b'')), recv(s))[1]],
 'zero_body_finalize': lambda s: [opened(s), prepare(s,'SELECT 1'), (s.sendall(msg(7, b'')), recv(s))[1]],
 'zero_body_cluster': lambda s: [client(s), (s.sendall(msg(16, b'')), recv(s))[1]],
 'zero_body_dump': lambda s: [client(s), (s.sendall(msg(15, b'')), recv(s))[1]],
 'zero_body_interrupt': lambda s: [opened(s), (s.sendall(msg(10, b'')), recv(s))[1]],
 'zero_body_prepare': lambda s: [opened(s), (s.sendall(msg(4, b'')), recv(s))[1]],
 'zero_body_weight': lambda s: [client(s), (s.sendall(msg(19, b'')), recv(s))[1]],
 'short_body_exec4': lambda s: [opened(s), prepare(s,'SELECT 1'), (s.sendall(msg(5, b'\0'*4, words=1)), recv(s))[1]],
 'unknown_type_20': lambda s: [client(s), (s.sendall(msg(20, P('<Q',0))), recv(s))[1]],
 'unknown_type_255': lambda s: [client(s), (s.sendall(msg(255, P('<Q',0))), recv(s))[1]],
 'cluster_format2': lambda s: [client(s), (s.sendall(msg(16, P('<Q',2))), recv(s))[1]],
 'describe_format1': lambda s: [client(s), (s.sendall(msg(18, P('<Q',1))), recv(s))[1]],
 'dump_unknown': lambda s: [client(s), (s.sendall(msg(15, text('nosuch'))), recv(s))[1]],
 'dump_no_nul': lambda s: [client(s), (s.sendall(msg(15, b'abcdefgh')), recv(s))[1]],
 'header_huge_words': lambda s: [client(s), (s.sendall(struct.pack('<IBBH',0xffffffff,8,0,0)+b'\0'*16), recv(s))[1]],
 'truncated_then_close': lambda s: [client(s), (s.sendall(struct.pack('<IBBH',4,8,0,0)+b'\0'*8), s.shutdown(socket.SHUT_WR), recv(s))[2]],
 'exec_on_select_after_finalize_all': lambda s: [opened(s), prepare(s,'SELECT 1'), finalize(s,0), prepare(s,'SELECT 2'), exec_(s,0)],
 'query_exec_stmt_create': lambda s: [opened(s), prepare(s,'CREATE TABLE IF NOT EXISTS px (n)'), query(s,0)],
 'prepare_stmt_db_huge': lambda s: [opened(s), prepare(s,'SELECT 1', db=1<<40)],
 'exec_stmt_id_huge': lambda s: [opened(s), prepare(s,'SELECT 1'), exec_(s,0xffffffff)],
 'transfer_0': lambda s: [client(s), (s.sendall(msg(17, P('<Q',0))), recv(s))[1]],
 'transfer_unknown': lambda s: [client(s), (s.sendall(msg(17, P('<Q',12345))), recv(s))[1]],
 'assign_unknown': lambda s: [client(s), (s.sendall(msg(13, P('<QQ',12345,1))), recv(s))[1]],
 'remove_unknown': lambda s: [client(s), (s.sendall(msg(14, P('<Q',12345))), recv(s))[1]],
 'add_dup_addr_id0': lambda s: [client(s), (s.sendall(msg(12, P('<Q',0)+text('127.0.9.9:1'))), recv(s))[1]],
 'weight_big': lambda s: [client(s), (s.sendall(msg(19, P('<Q',1<<62))), recv(s))[1]],
 'interrupt_during_nothing_then_query': lambda s: [opened(s), (s.sendall(msg(10, P('<Q',0))), recv(s))[1], prepare(s,'SELECT 1'), query(s,0)],
 'connect_raft': lambda s: [(s.sendall(msg(11, P('<Q',99)+text('127.0.0.1:1'))), recv(s))[1]],
}

def survives(addr):
    for _ in range(5):
        try:
            s = conn(addr, timeout=3); s.sendall(msg(0, P('<Q', 0))); r = recv(s); s.close()
            if r[0] == 'NODE':
                return True
        except OSError:
            pass
        time.sleep(1)
    return False

if __name__ == '__main__':
    if len(sys.argv) < 2 or sys.argv[1] == '--list':
        print('\n'.join(CASES)); sys.exit(0)
    addr = sys.argv[1]
    for name in sys.argv[2:] or list(CASES):
        try:
            s = conn(addr, timeout=3); out = CASES[name](s); s.close()
        except Exception as e:
            out = ['EXC %r' % e]
        time.sleep(1)
        alive = survives(addr)
        print('%-36s %s :: %s' % (name, 'lives' if alive else 'DEAD', out), flush=True)
        if not alive:
            sys.exit(1)
