; VitalSync's NSIS additions (electron-builder includes this file in its installer script).
; The optional "vitalsync" command: vitalsync.cmd next to VitalSync.exe runs the app with --cli,
; and, if the person says yes, the install folder goes on their own PATH (HKCU, no admin rights).
; Plain NSIS and its standard StrFunc header only: no third-party plugin.

!include "WinMessages.nsh"
!include "StrFunc.nsh"
${StrStr}
${UnStrRep}

!macro customInstall
  FileOpen $0 "$INSTDIR\vitalsync.cmd" w
  FileWrite $0 '@echo off$\r$\n"%~dp0VitalSync.exe" --cli %*$\r$\n'
  FileClose $0
  MessageBox MB_YESNO|MB_ICONQUESTION "Add the vitalsync command to your PATH?$\r$\n$\r$\nIt lets you run VitalSync from a terminal: vitalsync status, vitalsync import export.zip ..." /SD IDNO IDNO vitalsync_skip_path
    ReadRegStr $1 HKCU "Environment" "Path"
    ${StrStr} $2 "$1" "$INSTDIR"
    StrCmp $2 "" 0 vitalsync_skip_path
    StrCmp $1 "" 0 +3
      WriteRegExpandStr HKCU "Environment" "Path" "$INSTDIR"
      Goto +2
      WriteRegExpandStr HKCU "Environment" "Path" "$1;$INSTDIR"
    SendMessage ${HWND_BROADCAST} ${WM_SETTINGCHANGE} 0 "STR:Environment" /TIMEOUT=5000
  vitalsync_skip_path:
!macroend

!macro customUnInstall
  ReadRegStr $1 HKCU "Environment" "Path"
  StrCpy $2 "$1"
  ${UnStrRep} $1 "$1" ";$INSTDIR" ""
  ${UnStrRep} $1 "$1" "$INSTDIR;" ""
  ${UnStrRep} $1 "$1" "$INSTDIR" ""
  StrCmp $1 $2 vitalsync_path_unchanged
    WriteRegExpandStr HKCU "Environment" "Path" "$1"
    SendMessage ${HWND_BROADCAST} ${WM_SETTINGCHANGE} 0 "STR:Environment" /TIMEOUT=5000
  vitalsync_path_unchanged:
  Delete "$INSTDIR\vitalsync.cmd"
!macroend
