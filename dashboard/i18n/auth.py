"""Strings of sign-in, roles and access control (zh + en)."""

STRINGS: dict[str, dict[str, str]] = {
    # Sign-in and access control (issue 6).
    "login.heading": {"zh": "请登录", "en": "Sign in"},
    "login.username": {"zh": "用户名", "en": "User name"},
    "login.password": {"zh": "密码", "en": "Password"},
    "login.submit": {"zh": "登录", "en": "Sign in"},
    "login.note": {"zh": "本系统含居民个人信息，访问将被记录。", "en":
                   "This system holds residents' personal data; access is logged."},
    "login.failed": {"zh": "用户名或密码错误", "en": "Wrong user name or password"},
    "login.locked": {"zh": "连续失败次数过多，账户已锁定15分钟", "en":
                     "Too many failed attempts: the account is locked for 15 minutes"},
    "login.too_many": {"zh": "尝试过于频繁，请一分钟后再试", "en":
                       "Too many attempts; try again in a minute"},
    "login.expired": {"zh": "页面已过期，请重新登录",
                      "en": "The form expired; please sign in again"},
    "logout": {"zh": "退出", "en": "Sign out"},
    "role.admin": {"zh": "管理员", "en": "Administrator"},
    "role.commander": {"zh": "指挥长", "en": "Commander"},
    "role.official": {"zh": "干部", "en": "Official"},
    "role.community": {"zh": "社区", "en": "Community"},
    "role.wall": {"zh": "大屏", "en": "Wall"},
    "role.render": {"zh": "导出", "en": "Export"},
    "role.gridworker": {"zh": "网格员", "en": "Grid worker"},
    "role.department": {"zh": "部门系统", "en": "Department system"},
}
