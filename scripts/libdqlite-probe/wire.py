# Raw dqlite wire helpers for probe.py (version 1 handshake, frames, a few requests).
import socket, struct, sys, time
def conn(addr, timeout=3):
    if addr.startswith('@'):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); s.settimeout(timeout); s.connect('\0'+addr[1:])
    else:
        h,p = addr.rsplit(':',1); s = socket.create_connection((h,int(p)), timeout=timeout)
    s.sendall(struct.pack('<Q',1)); return s
def msg(t, body, words=None, schema=0):
    if len(body)%8: body += b'\0'*(8-len(body)%8)
    return struct.pack('<IBBH', len(body)//8 if words is None else words, t, schema, 0) + body
def text(s):
    b = s.encode()+b'\0'; return b + b'\0'*((8-len(b)%8)%8)
def recv(s):
    try:
        h = b''
        while len(h)<8:
            c = s.recv(8-len(h))
            if not c: return ('CLOSED',)
            h += c
        w,t,_,_ = struct.unpack('<IBBH',h); body=b''
        while len(body)<w*8:
            c = s.recv(w*8-len(body))
            if not c: return ('CLOSED-mid',)
            body += c
        if t==0:
            code = struct.unpack('<Q',body[:8])[0]; return ('FAILURE', code, body[8:].split(b'\0')[0].decode(errors='replace'))
        return ({1:'NODE',2:'WELCOME',3:'NODES',4:'DB',5:'STMT',6:'RESULT',7:'ROWS',8:'EMPTY',9:'FILES'}.get(t,t), body[:32].hex())
    except socket.timeout:
        return ('TIMEOUT',)
    except ConnectionResetError:
        return ('RESET',)
def client(s):
    s.sendall(msg(1, struct.pack('<Q',0))); return recv(s)
def open_(s, name='probe'):
    s.sendall(msg(3, text(name)+struct.pack('<Q',0)+text('volatile'))); return recv(s)
def prepare(s, sql, db=0):
    s.sendall(msg(4, struct.pack('<Q',db)+text(sql))); return recv(s)
def exec_(s, stmt, db=0, params=b''):
    s.sendall(msg(5, struct.pack('<II',db,stmt)+params)); return recv(s)
def query(s, stmt, db=0, params=b''):
    s.sendall(msg(6, struct.pack('<II',db,stmt)+params)); return recv(s)
def finalize(s, stmt, db=0):
    s.sendall(msg(7, struct.pack('<II',db,stmt))); return recv(s)
